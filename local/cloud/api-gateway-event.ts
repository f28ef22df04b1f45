/**
 * An HTTP request as the API Gateway HTTP API hands it to a Lambda (payload format 2.0, IAM
 * authorization): what the offline cloud's control server builds for each request, and what
 * tests call the control function with. The caller's identity is the local user's stand-in for
 * the IAM principal SigV4 would have proven.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';

export interface HttpRequestParts {
  readonly method: string;
  /** Path with an optional query string: `/kill`, `/status?x=1`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The IAM caller's ARN (default: a local user). */
  readonly callerArn?: string;
  readonly sourceIp?: string;
}

export const LOCAL_CALLER_ARN = 'arn:aws:iam::000000000000:user/local-operator';

export function apiGatewayEvent(request: HttpRequestParts): APIGatewayProxyEventV2WithIAMAuthorizer {
  const [rawPath = '/', rawQueryString = ''] = request.path.split('?', 2);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers ?? {})) headers[k.toLowerCase()] = v;
  const method = request.method.toUpperCase();
  const now = Date.now();
  const callerArn = request.callerArn ?? LOCAL_CALLER_ARN;
  const body = request.body ?? '';
  return {
    version: '2.0',
    routeKey: `${method} ${rawPath}`,
    rawPath,
    rawQueryString,
    headers,
    ...(body.length > 0 ? { body: Buffer.from(body, 'utf8').toString('base64') } : {}),
    isBase64Encoded: body.length > 0,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${method} ${rawPath}`,
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
      authorizer: {
        iam: {
          accessKey: 'LOCAL',
          accountId: '000000000000',
          callerId: 'LOCAL',
          cognitoIdentity: null,
          principalOrgId: '',
          userArn: callerArn,
          userId: 'LOCAL',
        },
      },
    },
  };
}
