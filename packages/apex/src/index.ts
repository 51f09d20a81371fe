export { apex } from "./apex.js";
export { apexPath } from "./path.js";
export type {
  ApexApi,
  ApexBody,
  ApexCallOptions,
  ApexExecuteOptions,
  ApexKeys,
  ApexMethod,
  ApexOptions,
  ApexPath,
  ApexRequestOptions,
  ApexResponseType,
} from "./types.js";
