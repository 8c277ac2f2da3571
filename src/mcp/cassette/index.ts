export {
  createReplayBackend,
  toolsFromCassette,
  type ReplayBackend,
  type ReplayOptions,
  type ReplayReport,
  type ReplayMismatch,
} from "./replay.js";
export {
  createRecordingBackend,
  toCassetteTool,
  type RecordingBackend,
  type RecordingOptions,
  type CassetteMeta,
} from "./record.js";
export { readCassette, writeCassette } from "./io.js";
