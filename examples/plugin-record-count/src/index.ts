export { recordCount, type RecordCountKeys, type RecordCountCallOptions } from "./record-count.js";
export { slowCalls, type SlowCall, type SlowCallOptions } from "./slow-calls.js";
