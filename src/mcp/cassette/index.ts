export { readCassette, writeCassette } from "./io.js";
export {
  type CassetteMeta,
  createRecordingBackend,
  type RecordingBackend,
  type RecordingOptions,
  toCassetteTool,
} from "./record.js";
export {
  createReplayBackend,
  type ReplayBackend,
  type ReplayMismatch,
  type ReplayOptions,
  type ReplayReport,
  toolsFromCassette,
} from "./replay.js";
