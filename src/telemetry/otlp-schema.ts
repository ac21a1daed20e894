import type { Desc } from "./protobuf";

/**
 * The OTLP v1 messages this API reads (opentelemetry-proto: common, resource, trace, metrics, logs and the three
 * collector services), as field number → lowerCamelCase JSON name and type. Deprecated and unknown fields are left
 * out, so the reader skips them, as the specification asks of receivers.
 */

const AnyValue: Desc = {
  1: { name: "stringValue", type: "string" },
  2: { name: "boolValue", type: "bool" },
  3: { name: "intValue", type: "int64" },
  4: { name: "doubleValue", type: "double" },
  5: { name: "arrayValue", type: "message", of: () => ArrayValue },
  6: { name: "kvlistValue", type: "message", of: () => KeyValueList },
  7: { name: "bytesValue", type: "bytes" },
};
const KeyValue: Desc = {
  1: { name: "key", type: "string" },
  2: { name: "value", type: "message", of: () => AnyValue },
};
const ArrayValue: Desc = { 1: { name: "values", type: "message", repeated: true, of: () => AnyValue } };
const KeyValueList: Desc = { 1: { name: "values", type: "message", repeated: true, of: () => KeyValue } };
const attributes = (n: number) => ({
  [n]: { name: "attributes", type: "message", repeated: true, of: () => KeyValue },
});

const Scope: Desc = {
  1: { name: "name", type: "string" },
  2: { name: "version", type: "string" },
  ...attributes(3),
  4: { name: "droppedAttributesCount", type: "uint32" },
};
const Resource: Desc = { ...attributes(1), 2: { name: "droppedAttributesCount", type: "uint32" } };

// ---- trace.proto ----
const SpanEvent: Desc = {
  1: { name: "timeUnixNano", type: "fixed64" },
  2: { name: "name", type: "string" },
  ...attributes(3),
  4: { name: "droppedAttributesCount", type: "uint32" },
};
const SpanLink: Desc = {
  1: { name: "traceId", type: "id" },
  2: { name: "spanId", type: "id" },
  3: { name: "traceState", type: "string" },
  ...attributes(4),
  5: { name: "droppedAttributesCount", type: "uint32" },
  6: { name: "flags", type: "fixed32" },
};
const SpanStatus: Desc = { 2: { name: "message", type: "string" }, 3: { name: "code", type: "enum" } };
const Span: Desc = {
  1: { name: "traceId", type: "id" },
  2: { name: "spanId", type: "id" },
  3: { name: "traceState", type: "string" },
  4: { name: "parentSpanId", type: "id" },
  16: { name: "flags", type: "fixed32" },
  5: { name: "name", type: "string" },
  6: { name: "kind", type: "enum" },
  7: { name: "startTimeUnixNano", type: "fixed64" },
  8: { name: "endTimeUnixNano", type: "fixed64" },
  ...attributes(9),
  10: { name: "droppedAttributesCount", type: "uint32" },
  11: { name: "events", type: "message", repeated: true, of: () => SpanEvent },
  12: { name: "droppedEventsCount", type: "uint32" },
  13: { name: "links", type: "message", repeated: true, of: () => SpanLink },
  14: { name: "droppedLinksCount", type: "uint32" },
  15: { name: "status", type: "message", of: () => SpanStatus },
};
const ScopeSpans: Desc = {
  1: { name: "scope", type: "message", of: () => Scope },
  2: { name: "spans", type: "message", repeated: true, of: () => Span },
  3: { name: "schemaUrl", type: "string" },
};
const ResourceSpans: Desc = {
  1: { name: "resource", type: "message", of: () => Resource },
  2: { name: "scopeSpans", type: "message", repeated: true, of: () => ScopeSpans },
  3: { name: "schemaUrl", type: "string" },
};

// ---- logs.proto ----
const LogRecord: Desc = {
  1: { name: "timeUnixNano", type: "fixed64" },
  11: { name: "observedTimeUnixNano", type: "fixed64" },
  2: { name: "severityNumber", type: "enum" },
  3: { name: "severityText", type: "string" },
  5: { name: "body", type: "message", of: () => AnyValue },
  ...attributes(6),
  7: { name: "droppedAttributesCount", type: "uint32" },
  8: { name: "flags", type: "fixed32" },
  9: { name: "traceId", type: "id" },
  10: { name: "spanId", type: "id" },
  12: { name: "eventName", type: "string" },
};
const ScopeLogs: Desc = {
  1: { name: "scope", type: "message", of: () => Scope },
  2: { name: "logRecords", type: "message", repeated: true, of: () => LogRecord },
  3: { name: "schemaUrl", type: "string" },
};
const ResourceLogs: Desc = {
  1: { name: "resource", type: "message", of: () => Resource },
  2: { name: "scopeLogs", type: "message", repeated: true, of: () => ScopeLogs },
  3: { name: "schemaUrl", type: "string" },
};

// ---- metrics.proto ----
const Exemplar: Desc = {
  7: { name: "filteredAttributes", type: "message", repeated: true, of: () => KeyValue },
  2: { name: "timeUnixNano", type: "fixed64" },
  3: { name: "asDouble", type: "double" },
  6: { name: "asInt", type: "sfixed64" },
  4: { name: "spanId", type: "id" },
  5: { name: "traceId", type: "id" },
};
const exemplars = (n: number) => ({ [n]: { name: "exemplars", type: "message", repeated: true, of: () => Exemplar } });
const times: Desc = {
  2: { name: "startTimeUnixNano", type: "fixed64" },
  3: { name: "timeUnixNano", type: "fixed64" },
};
const NumberDataPoint: Desc = {
  ...attributes(7),
  ...times,
  4: { name: "asDouble", type: "double" },
  6: { name: "asInt", type: "sfixed64" },
  ...exemplars(5),
  8: { name: "flags", type: "uint32" },
};
const HistogramDataPoint: Desc = {
  ...attributes(9),
  ...times,
  4: { name: "count", type: "fixed64" },
  5: { name: "sum", type: "double" },
  6: { name: "bucketCounts", type: "fixed64", repeated: true },
  7: { name: "explicitBounds", type: "double", repeated: true },
  ...exemplars(8),
  10: { name: "flags", type: "uint32" },
  11: { name: "min", type: "double" },
  12: { name: "max", type: "double" },
};
const Buckets: Desc = {
  1: { name: "offset", type: "sint32" },
  2: { name: "bucketCounts", type: "uint64", repeated: true },
};
const ExponentialHistogramDataPoint: Desc = {
  ...attributes(1),
  ...times,
  4: { name: "count", type: "fixed64" },
  5: { name: "sum", type: "double" },
  6: { name: "scale", type: "sint32" },
  7: { name: "zeroCount", type: "fixed64" },
  8: { name: "positive", type: "message", of: () => Buckets },
  9: { name: "negative", type: "message", of: () => Buckets },
  10: { name: "flags", type: "uint32" },
  ...exemplars(11),
  12: { name: "min", type: "double" },
  13: { name: "max", type: "double" },
  14: { name: "zeroThreshold", type: "double" },
};
const ValueAtQuantile: Desc = { 1: { name: "quantile", type: "double" }, 2: { name: "value", type: "double" } };
const SummaryDataPoint: Desc = {
  ...attributes(7),
  ...times,
  4: { name: "count", type: "fixed64" },
  5: { name: "sum", type: "double" },
  6: { name: "quantileValues", type: "message", repeated: true, of: () => ValueAtQuantile },
  8: { name: "flags", type: "uint32" },
};
const points = (of: () => Desc) => ({ 1: { name: "dataPoints", type: "message", repeated: true, of } }) as const;
const temporality = { 2: { name: "aggregationTemporality", type: "enum" } } as const;
const Gauge: Desc = points(() => NumberDataPoint);
const Sum: Desc = { ...points(() => NumberDataPoint), ...temporality, 3: { name: "isMonotonic", type: "bool" } };
const Histogram: Desc = { ...points(() => HistogramDataPoint), ...temporality };
const ExponentialHistogram: Desc = { ...points(() => ExponentialHistogramDataPoint), ...temporality };
const Summary: Desc = points(() => SummaryDataPoint);
const Metric: Desc = {
  1: { name: "name", type: "string" },
  2: { name: "description", type: "string" },
  3: { name: "unit", type: "string" },
  5: { name: "gauge", type: "message", of: () => Gauge },
  7: { name: "sum", type: "message", of: () => Sum },
  9: { name: "histogram", type: "message", of: () => Histogram },
  10: { name: "exponentialHistogram", type: "message", of: () => ExponentialHistogram },
  11: { name: "summary", type: "message", of: () => Summary },
  12: { name: "metadata", type: "message", repeated: true, of: () => KeyValue },
};
const ScopeMetrics: Desc = {
  1: { name: "scope", type: "message", of: () => Scope },
  2: { name: "metrics", type: "message", repeated: true, of: () => Metric },
  3: { name: "schemaUrl", type: "string" },
};
const ResourceMetrics: Desc = {
  1: { name: "resource", type: "message", of: () => Resource },
  2: { name: "scopeMetrics", type: "message", repeated: true, of: () => ScopeMetrics },
  3: { name: "schemaUrl", type: "string" },
};

/** The three export requests (opentelemetry-proto collector/{trace,metrics,logs}/v1). */
export const EXPORT_REQUESTS = {
  traces: { 1: { name: "resourceSpans", type: "message", repeated: true, of: () => ResourceSpans } },
  metrics: { 1: { name: "resourceMetrics", type: "message", repeated: true, of: () => ResourceMetrics } },
  logs: { 1: { name: "resourceLogs", type: "message", repeated: true, of: () => ResourceLogs } },
} as const satisfies Record<string, Desc>;
