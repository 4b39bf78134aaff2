export { AlertDetector } from './alert-detector';
export type {
  AlertDetection,
  AlertDetectorOptions,
  AlertTemplate,
  DetectedAlertDetails,
  LarkMessageForDetection,
  SeverityOrigin,
} from './types';
