export {
  FAULTS,
  OPERATIONS,
  MATRIX,
  testName,
  describeExpectation,
  operation,
  fault,
  type Cell,
  type Expectation,
  type Fault,
  type FaultId,
  type Operation,
  type OperationId,
} from "./matrix.js";
export { renderReliability } from "./render.js";
