/**
 * The cloud control plane's state in DynamoDB (CONTROL_TABLE), as plain data both sides read:
 *
 *   control          written by the control function only, with conditional writes: `killed`,
 *                    why, by whom, when, an `epoch` bumped on every kill or reset and a
 *                    `paramsVersion` bumped on every accepted risk-params change (the body kept
 *                    as `riskParams`, JSON). The task applies each new epoch / version once.
 *   control-ack      written by the task after applying an epoch or version: the kill report or
 *                    the control result, so the function can answer with the kernel's own JSON.
 *   position-report  written by the task every few seconds and after each control change: its
 *                    TradingStatusJson (positions, orders, PnL, state) — what GET /status serves
 *                    and what the reconcile function checks against the venues.
 *
 * JSON payloads are stored as strings: the item then holds exactly what the kernel produced.
 */
import { z } from 'zod';
import type { ControlResult, KillReport, TradingStatusJson } from '../trading/trading-control.ts';

export const CONTROL_KEY = 'control';
export const ACK_KEY = 'control-ack';
export const REPORT_KEY = 'position-report';

export interface ControlState {
  readonly killed: boolean;
  readonly reason: string;
  /** Who flipped it last (the caller's IAM ARN in the cloud). */
  readonly actor: string;
  /** ISO-8601 time of the last flip. */
  readonly at: string;
  readonly epoch: number;
  readonly paramsVersion: number;
  /** The last accepted PUT /risk/params body (JSON text); absent until one is accepted. */
  readonly riskParams?: string;
}

/** Before any flip: trading, epoch 0, no params change. */
export const INITIAL_CONTROL: ControlState = {
  killed: false,
  reason: '',
  actor: '',
  at: '',
  epoch: 0,
  paramsVersion: 0,
};

export interface ControlAck {
  readonly epoch: number;
  readonly paramsVersion: number;
  /** Epoch ms when the task wrote it. */
  readonly atMs: number;
  /** The kill report of the last applied kill epoch, the result of the last reset or params change. */
  readonly kill?: KillReport;
  readonly reset?: ControlResult;
  readonly params?: ControlResult;
}

export interface PositionReport {
  /** Epoch ms when the task wrote it. */
  readonly atMs: number;
  /** Who wrote it (the task's lease owner) and under which lease epoch. */
  readonly owner: string;
  readonly status: TradingStatusJson;
}

const count = z.number().int().min(0);

const controlItemSchema = z.object({
  killed: z.boolean(),
  reason: z.string(),
  actor: z.string(),
  at: z.string(),
  epoch: count,
  paramsVersion: count,
  riskParams: z.string().optional(),
});

const ackItemSchema = z.object({
  epoch: count,
  paramsVersion: count,
  atMs: count,
  payload: z.string(),
});

const reportItemSchema = z.object({ atMs: count, owner: z.string(), status: z.string() });

/** The control item as read; undefined (no item yet) is the initial state. A malformed item throws. */
export function parseControlItem(item: Record<string, unknown> | undefined): ControlState {
  if (item === undefined) return INITIAL_CONTROL;
  return controlItemSchema.parse(item);
}

export function parseAckItem(item: Record<string, unknown> | undefined): ControlAck | undefined {
  if (item === undefined) return undefined;
  const parsed = ackItemSchema.parse(item);
  const payload = JSON.parse(parsed.payload) as Pick<ControlAck, 'kill' | 'reset' | 'params'>;
  return { epoch: parsed.epoch, paramsVersion: parsed.paramsVersion, atMs: parsed.atMs, ...payload };
}

export function ackItem(ack: ControlAck): Record<string, unknown> {
  const { epoch, paramsVersion, atMs, ...payload } = ack;
  return { pk: ACK_KEY, epoch, paramsVersion, atMs, payload: JSON.stringify(payload) };
}

export function parseReportItem(item: Record<string, unknown> | undefined): PositionReport | undefined {
  if (item === undefined) return undefined;
  const parsed = reportItemSchema.parse(item);
  return { atMs: parsed.atMs, owner: parsed.owner, status: JSON.parse(parsed.status) as TradingStatusJson };
}

export function reportItem(report: PositionReport): Record<string, unknown> {
  return { pk: REPORT_KEY, atMs: report.atMs, owner: report.owner, status: JSON.stringify(report.status) };
}

/**
 * The control queue's message: a nudge that the control item changed, so the task reacts before
 * its next poll. The item stays the truth; a kill message is also enough to halt on its own.
 */
export interface ControlNotice {
  readonly epoch: number;
  readonly paramsVersion: number;
  readonly killed: boolean;
  readonly reason: string;
  readonly actor: string;
}

const noticeSchema = z.object({
  epoch: count,
  paramsVersion: count,
  killed: z.boolean(),
  reason: z.string(),
  actor: z.string(),
});

/** A queue message body as a notice; undefined when it is not one (it is then only a nudge). */
export function parseControlNotice(body: string | undefined): ControlNotice | undefined {
  if (body === undefined) return undefined;
  try {
    const parsed = noticeSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
