/**
 * The environment's four CloudWatch dashboards, over the EMF metrics the task and the functions
 * publish (fargate/observability/task-metric-sampler.ts names them) and AWS's own:
 *
 *   trading    PnL, positions, open orders, fills and fill rate, trading state
 *   latency    wire-to-book p50 / p99 / p99.9 by exchange, decision latency, order-to-ack
 *   exchanges  connection status, down time, message rate, rejects, reconnects, resyncs, quality,
 *              rate-limit usage
 *   system     task CPU and memory, each function's errors, dead-letter depth, iterator age
 *
 * Per-exchange and per-symbol series come from SEARCH expressions, so a venue added in
 * config/venues.json appears without a deploy of this stack.
 */
import { Duration } from 'aws-cdk-lib';
import {
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { FargateService } from 'aws-cdk-lib/aws-ecs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../shared/handler-function.ts';
import { SOURCE_SERVICE } from './alarm-metrics.ts';

const PERIOD = Duration.minutes(1);

export interface PlatformDashboardsProps {
  readonly namePrefix: string;
  readonly service: FargateService;
  readonly functions: ReadonlyArray<{ readonly label: string; readonly fn: IFunction }>;
  readonly streamFunctions: ReadonlyArray<{ readonly label: string; readonly fn: IFunction }>;
  readonly deadLetterQueues: ReadonlyArray<{ readonly label: string; readonly queue: IQueue }>;
}

function task(metricName: string, statistic = 'Average'): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    statistic,
    dimensionsMap: { service: SOURCE_SERVICE.task },
    period: PERIOD,
  });
}

/** Every series of a task metric with extra dimensions (`exchange`, or `exchange,symbol`). */
function search(metricName: string, dimensions: string, statistic: string, label: string): MathExpression {
  return new MathExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},${dimensions},service} MetricName="${metricName}" service="${SOURCE_SERVICE.task}"', '${statistic}', ${PERIOD.toSeconds()})`,
    usingMetrics: {},
    label,
    period: PERIOD,
  });
}

function graph(title: string, left: IMetric[], width = 12): GraphWidget {
  return new GraphWidget({ title, left, width, height: 6 });
}

export class PlatformDashboards extends Construct {
  readonly trading: Dashboard;
  readonly latency: Dashboard;
  readonly exchanges: Dashboard;
  readonly system: Dashboard;

  constructor(scope: Construct, id: string, props: PlatformDashboardsProps) {
    super(scope, id);
    const named = (suffix: string) => `${props.namePrefix}-${suffix}`;

    this.trading = new Dashboard(this, 'Trading', {
      dashboardName: named('trading'),
      defaultInterval: Duration.hours(6),
    });
    const fills = task('execution_count_total', 'Sum');
    const requests = task('execution_request_count', 'Sum');
    this.trading.addWidgets(
      new SingleValueWidget({
        title: 'Trading state (0 active, 1 reducing, 2 halted)',
        metrics: [task('trading_state', 'Maximum')],
        width: 6,
      }),
      new SingleValueWidget({
        title: 'PnL (realized + unrealized − fees)',
        metrics: [task('pnl')],
        width: 6,
      }),
      new SingleValueWidget({ title: 'Open orders', metrics: [task('orders_open', 'Maximum')], width: 6 }),
      new SingleValueWidget({
        title: 'Fills (1 h)',
        metrics: [task('execution_count_total', 'Sum').with({ period: Duration.hours(1) })],
        width: 6,
      }),
    );
    this.trading.addWidgets(
      graph('PnL', [task('pnl')]),
      graph('Positions by symbol', [search('position', 'exchange,symbol', 'Average', 'position')]),
      graph('Open orders', [task('orders_open', 'Maximum')]),
      graph('Fill rate (% of order requests filled)', [
        new MathExpression({
          expression: '100 * fills / requests',
          usingMetrics: { fills, requests },
          label: 'fill rate %',
          period: PERIOD,
        }),
      ]),
    );

    this.latency = new Dashboard(this, 'Latency', {
      dashboardName: named('latency'),
      defaultInterval: Duration.hours(3),
    });
    this.latency.addWidgets(
      graph(
        'Wire to book p50 by exchange (ms)',
        [search('market_data_latency_ms', 'exchange', 'p50', 'p50')],
        8,
      ),
      graph(
        'Wire to book p99 by exchange (ms)',
        [search('market_data_latency_p99_ms', 'exchange', 'p50', 'p99')],
        8,
      ),
      graph(
        'Wire to book p99.9 by exchange (ms)',
        [search('market_data_latency_p99_ms', 'exchange', 'p99.9', 'p99.9')],
        8,
      ),
    );
    this.latency.addWidgets(
      graph('Decision latency, event to order (ms)', [
        task('decision_latency_ms', 'p50'),
        task('decision_latency_ms', 'p99'),
        task('decision_latency_ms', 'p99.9'),
      ]),
      graph('Order to acknowledgement (ms)', [
        search('order_ack_latency_ms', 'exchange', 'p50', 'p50'),
        search('order_ack_latency_ms', 'exchange', 'p99', 'p99'),
        search('order_ack_latency_ms', 'exchange', 'p99.9', 'p99.9'),
      ]),
      graph(
        'Signal pipeline stage latency (ms)',
        [search('hifa_stage_latency_ms', 'stage', 'p99', 'p99')],
        24,
      ),
    );

    this.exchanges = new Dashboard(this, 'Exchanges', {
      dashboardName: named('exchanges'),
      defaultInterval: Duration.hours(6),
    });
    this.exchanges.addWidgets(
      graph('Connected (1) by exchange', [search('venue_connected', 'exchange', 'Minimum', 'connected')], 8),
      graph('Down for (s)', [search('venue_down_seconds', 'exchange', 'Maximum', 'down')], 8),
      graph(
        'Book quality score (worst book)',
        [search('order_book_quality_score', 'exchange', 'Minimum', 'quality')],
        8,
      ),
    );
    this.exchanges.addWidgets(
      graph('Message rate (per s)', [search('market_data_message_rate', 'exchange', 'Average', 'msg/s')], 8),
      graph('Errors: rejected inputs', [search('market_data_rejected', 'exchange', 'Sum', 'rejected')], 8),
      graph(
        'Reconnects and resyncs',
        [
          search('reconnects', 'exchange', 'Sum', 'reconnects'),
          search('resyncs', 'exchange', 'Sum', 'resyncs'),
        ],
        8,
      ),
      graph(
        'Rate-limit usage (% of the venue’s budget)',
        [search('rate_limit_used_pct', 'exchange', 'Maximum', 'used %')],
        24,
      ),
    );

    this.system = new Dashboard(this, 'System', {
      dashboardName: named('system'),
      defaultInterval: Duration.hours(6),
    });
    this.system.addWidgets(
      graph('Task CPU (%)', [props.service.metricCpuUtilization({ period: PERIOD })]),
      graph('Task memory (%)', [props.service.metricMemoryUtilization({ period: PERIOD })]),
    );
    this.system.addWidgets(
      graph(
        'Function errors',
        props.functions.map((f) => f.fn.metricErrors({ period: PERIOD, label: f.label })),
        8,
      ),
      graph(
        'Dead-letter queue depth',
        props.deadLetterQueues.map((q) =>
          q.queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, label: q.label }),
        ),
        8,
      ),
      graph(
        'Kinesis iterator age (ms)',
        props.streamFunctions.map(
          (f) =>
            new Metric({
              namespace: 'AWS/Lambda',
              metricName: 'IteratorAge',
              dimensionsMap: { FunctionName: f.fn.functionName },
              statistic: 'Maximum',
              period: PERIOD,
              label: f.label,
            }),
        ),
        8,
      ),
      new TextWidget({
        markdown:
          'Alarms: config/alarms.json (one table for CloudWatch and local alerting). Runbook: docs/runbook.md',
        width: 24,
        height: 2,
      }),
    );
  }
}
