import {
  anyValue,
  attributesOf,
  bool,
  double,
  doubleList,
  each,
  field,
  hexId,
  int,
  int64,
  int64List,
  isId,
  list,
  nanosToMs,
  type Obj,
  object,
  ShapeError,
  str,
  type Tally,
} from "./values";

/**
 * An OTLP export request (JSON, or protobuf decoded into the JSON shape) → the lake's records, one NDJSON line per
 * span, log record or metric data point (docs/telemetry.md "Records"). Each line carries the resource's and the
 * scope's attributes, the pseudonymous user key and the receive time, so a line stands alone in a query.
 *
 * A body whose structure is wrong throws ShapeError (400); a record that is well-formed but invalid (an id of the
 * wrong length, a span ending before it starts, a data point without a value) is rejected alone and counted.
 */

export const SIGNALS = ["traces", "metrics", "logs"] as const;
export type Signal = (typeof SIGNALS)[number];

/** Each signal's top-level list, what OTLP calls its records, and the partial-success counter naming them. */
export const SIGNAL_SHAPE = {
  traces: { list: "resourceSpans", records: "spans", rejected: "rejectedSpans" },
  metrics: { list: "resourceMetrics", records: "data points", rejected: "rejectedDataPoints" },
  logs: { list: "resourceLogs", records: "log records", rejected: "rejectedLogRecords" },
} as const satisfies Record<Signal, { list: string; records: string; rejected: string }>;

export class TooManyRecords extends Error {}

export type Tagging = { userKey: string; receivedAt: string };

export type Converted = {
  /** The accepted records, each one JSON line. */
  lines: string[];
  /** Bytes of the lines joined with newlines. */
  bytes: number;
  rejected: number;
  truncated: number;
  /** The first reason a record was rejected, for the answer's message. */
  firstReason: string | null;
};

type Ctx = Tagging & {
  tally: Tally;
  out: Converted;
  count: number;
  maxRecords: number;
};

function accept(ctx: Ctx, record: Obj): void {
  const line = JSON.stringify(record);
  ctx.out.lines.push(line);
  ctx.out.bytes += line.length + 1;
}

function reject(ctx: Ctx, reason: string): void {
  ctx.out.rejected++;
  ctx.out.firstReason ??= reason;
}

/** Accepts the record, or rejects it for the first problem found. */
function settle(ctx: Ctx, problem: string | null, record: Obj): void {
  if (problem === null) accept(ctx, record);
  else reject(ctx, problem);
}

function counted(ctx: Ctx): void {
  ctx.count++;
  if (ctx.count > ctx.maxRecords) throw new TooManyRecords();
}

const scopeOf = (scope: Obj, tally: Tally) => ({
  name: str(scope, "name"),
  version: str(scope, "version"),
  attributes: attributesOf(scope, tally),
});

/** Walks resource → scope → record for any signal, tagging each record with its context. */
function walk(
  ctx: Ctx,
  body: Obj,
  keys: {
    resources: string;
    scopes: string;
    records: string /** Each item is a record (not so for metrics). */;
    counts: boolean;
  },
  convert: (record: Obj, base: Obj) => void,
): void {
  each(list(body, keys.resources), keys.resources, (item) => {
    const rs = object(item, "a resource entry");
    const resource = attributesOf(field(rs, "resource"), ctx.tally);
    each(list(rs, keys.scopes), keys.scopes, (scopeItem) => {
      const ss = object(scopeItem, "a scope entry");
      const base = {
        receivedAt: ctx.receivedAt,
        userKey: ctx.userKey,
        resource,
        scope: scopeOf(field(ss, "scope"), ctx.tally),
      };
      each(list(ss, keys.records), keys.records, (recordItem) => {
        if (keys.counts) counted(ctx);
        convert(object(recordItem, "a record"), base);
      });
    });
  });
}

function span(ctx: Ctx, s: Obj, base: Obj): void {
  const traceId = hexId(s, "traceId");
  const spanId = hexId(s, "spanId");
  const parentSpanId = hexId(s, "parentSpanId");
  const start = int64(s, "startTimeUnixNano");
  const end = int64(s, "endTimeUnixNano");
  const status = field(s, "status");
  const record = {
    ...base,
    traceId,
    spanId,
    parentSpanId,
    traceState: str(s, "traceState"),
    flags: int(s, "flags"),
    name: str(s, "name"),
    kind: int(s, "kind"),
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    durationMs: nanosToMs(end) - nanosToMs(start),
    attributes: attributesOf(s, ctx.tally),
    droppedAttributesCount: int(s, "droppedAttributesCount"),
    events: each(list(s, "events"), "events", (e) => {
      const event = object(e, "an event");
      return {
        timeUnixNano: int64(event, "timeUnixNano"),
        name: str(event, "name"),
        attributes: attributesOf(event, ctx.tally),
      };
    }),
    droppedEventsCount: int(s, "droppedEventsCount"),
    links: each(list(s, "links"), "links", (l) => {
      const link = object(l, "a link");
      return {
        traceId: hexId(link, "traceId"),
        spanId: hexId(link, "spanId"),
        traceState: str(link, "traceState"),
        attributes: attributesOf(link, ctx.tally),
      };
    }),
    droppedLinksCount: int(s, "droppedLinksCount"),
    status: { code: int(status, "code"), message: str(status, "message") },
  };
  const problem = !isId(traceId, 16)
    ? "traceId must be 32 hex digits, not all zero"
    : !isId(spanId, 8)
      ? "spanId must be 16 hex digits, not all zero"
      : parentSpanId !== "" && !isId(parentSpanId, 8)
        ? "parentSpanId must be 16 hex digits"
        : BigInt(end) < BigInt(start)
          ? "endTimeUnixNano is before startTimeUnixNano"
          : null;
  settle(ctx, problem, record);
}

function logRecord(ctx: Ctx, l: Obj, base: Obj): void {
  const traceId = hexId(l, "traceId");
  const spanId = hexId(l, "spanId");
  const record = {
    ...base,
    timeUnixNano: int64(l, "timeUnixNano"),
    observedTimeUnixNano: int64(l, "observedTimeUnixNano"),
    severityNumber: int(l, "severityNumber"),
    severityText: str(l, "severityText"),
    body: l.body === undefined || l.body === null ? null : anyValue(l.body, null),
    attributes: attributesOf(l, ctx.tally),
    droppedAttributesCount: int(l, "droppedAttributesCount"),
    flags: int(l, "flags"),
    traceId,
    spanId,
    eventName: str(l, "eventName"),
  };
  const problem =
    traceId !== "" && !isId(traceId, 16)
      ? "traceId must be 32 hex digits"
      : spanId !== "" && !isId(spanId, 8)
        ? "spanId must be 16 hex digits"
        : null;
  settle(ctx, problem, record);
}

const METRIC_TYPES = ["gauge", "sum", "histogram", "exponentialHistogram", "summary"] as const;

function buckets(value: Obj) {
  return {
    offset: int(value, "offset"),
    bucketCounts: int64List(value, "bucketCounts"),
  };
}

/** The type-specific fields of one data point; null when a number point carries no value. */
function pointFields(type: (typeof METRIC_TYPES)[number], p: Obj): Obj | null {
  const common = {
    startTimeUnixNano: int64(p, "startTimeUnixNano"),
    timeUnixNano: int64(p, "timeUnixNano"),
    flags: int(p, "flags"),
    exemplars: list(p, "exemplars").length,
  };
  if (type === "gauge" || type === "sum") {
    const asDouble = double(p, "asDouble");
    if (asDouble !== undefined) return { ...common, value: asDouble };
    if (p.asInt === undefined || p.asInt === null) return null;
    const asInt = int64(p, "asInt", true);
    return { ...common, value: Number.isSafeInteger(Number(asInt)) ? Number(asInt) : asInt };
  }
  const stats = {
    count: int64(p, "count"),
    sum: double(p, "sum") ?? null,
  };
  if (type === "summary") {
    return {
      ...common,
      ...stats,
      quantileValues: each(list(p, "quantileValues"), "quantileValues", (q) => {
        const v = object(q, "a quantile");
        return { quantile: double(v, "quantile") ?? 0, value: double(v, "value") ?? 0 };
      }),
    };
  }
  const minMax = { min: double(p, "min") ?? null, max: double(p, "max") ?? null };
  if (type === "histogram") {
    return {
      ...common,
      ...stats,
      ...minMax,
      bucketCounts: int64List(p, "bucketCounts"),
      explicitBounds: doubleList(p, "explicitBounds"),
    };
  }
  return {
    ...common,
    ...stats,
    ...minMax,
    scale: int(p, "scale"),
    zeroCount: int64(p, "zeroCount"),
    zeroThreshold: double(p, "zeroThreshold") ?? 0,
    positive: buckets(field(p, "positive")),
    negative: buckets(field(p, "negative")),
  };
}

function metric(ctx: Ctx, m: Obj, base: Obj): void {
  const name = str(m, "name");
  const type = METRIC_TYPES.find((t) => m[t] !== undefined && m[t] !== null);
  const data = type ? field(m, type) : {};
  const points = list(data, "dataPoints");
  const described = {
    ...base,
    name,
    description: str(m, "description"),
    unit: str(m, "unit"),
    type: type ?? null,
    aggregationTemporality: int(data, "aggregationTemporality"),
    isMonotonic: bool(data, "isMonotonic"),
  };
  if (!type || points.length === 0) {
    counted(ctx);
    reject(ctx, "a metric must carry a gauge, sum, histogram, exponentialHistogram or summary with points");
    return;
  }
  each(points, `${type}.dataPoints`, (item) => {
    counted(ctx);
    const p = object(item, "a data point");
    const fields = pointFields(type, p);
    const attributes = attributesOf(p, ctx.tally);
    const problem =
      name === "" ? "a metric must have a name" : !fields ? "a number data point must carry asDouble or asInt" : null;
    settle(ctx, problem, { ...described, attributes, ...fields });
  });
}

/**
 * Converts one export request of `signal`. Throws ShapeError for a body that is not that request (including a JSON
 * object without the signal's top-level list), TooManyRecords past `maxRecords`.
 */
export function convertRequest(signal: Signal, body: unknown, tagging: Tagging, maxRecords: number): Converted {
  const request = object(body, `an ${signal} export request`);
  const key = SIGNAL_SHAPE[signal].list;
  if (!Array.isArray(request[key])) {
    throw new ShapeError(`an OTLP ${signal} export request must have a ${key} array`);
  }
  const out: Converted = { lines: [], bytes: 0, rejected: 0, truncated: 0, firstReason: null };
  const ctx: Ctx = { ...tagging, tally: { truncated: 0 }, out, count: 0, maxRecords };
  if (signal === "traces") {
    walk(ctx, request, { resources: key, scopes: "scopeSpans", records: "spans", counts: true }, (r, b) =>
      span(ctx, r, b),
    );
  } else if (signal === "logs") {
    walk(ctx, request, { resources: key, scopes: "scopeLogs", records: "logRecords", counts: true }, (r, b) =>
      logRecord(ctx, r, b),
    );
  } else {
    walk(ctx, request, { resources: key, scopes: "scopeMetrics", records: "metrics", counts: false }, (r, b) =>
      metric(ctx, r, b),
    );
  }
  out.truncated = ctx.tally.truncated;
  return out;
}
