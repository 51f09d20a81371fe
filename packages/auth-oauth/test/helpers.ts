// The auth packages prove the same things the same way (the wire as sent, no secret in any
// log line or printed value): one set of helpers, kept in @sfkit/auth-soap's tests.
export {
  printable,
  recordingFetch,
  recordingLogger,
  rejection,
  type SeenRequest,
} from "../../auth-soap/test/helpers.ts";
