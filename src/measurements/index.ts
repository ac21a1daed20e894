/** Pure measurement modules (no I/O): upload parsing, chunk codec, rendering and downsampling. */
export {
  type AccumulatedUpload,
  type AccumulatorOptions,
  type AccumulatorStats,
  DayAccumulator,
  type DayChunk,
} from "./accumulator";
export {
  ArchiveError,
  type ArchiveErrorCode,
  decompressUpload,
  detectFormat,
  type UnpackedUpload,
  type UploadFormat,
  type UploadLimits,
} from "./archive";
export { CHUNK_VERSION, ChunkError, decodeChunk, encodeChunk } from "./codec";
export { CsvError, type CsvOptions, type CsvParser, createCsvParser, type SampleSink } from "./csv";
export { assertDaySamples, type DaySamples, emptyDaySamples, type MergeResult, mergeSamples } from "./day-samples";
export { renderValues, renderValuesJsonBytes, renderValuesJsonString } from "./document";
export { type DatetimeFault, SampleRules, storedValue, type ValueFault } from "./sample-rules";
export { AGGREGATES, type Aggregate, aggregateSeries, type DayInput, type Series, type SeriesOptions } from "./series";
export * from "./types";
