/** A fake of Lark's open platform for tests: REST APIs, long connection, webhook sender, event builders. */
export { startFakeLark } from './fake-lark';
export type { BotIdentity, BotPostInput, CardView, FakeLark, FakeLarkOptions, UserPostInput } from './fake-lark';
export { cardActionEvent, messageEvent } from './events';
export type { CardActionEventInput, LarkEvent, MentionInput, MessageEventInput } from './events';
export type { EventAck, PushOptions } from './long-connection';
export type { Mention, PatchRecord, ReactionRecord, SentMessage, StoredMessage } from './message-store';
export type { RequestLogEntry } from './open-api';
export type { UrgentRecord } from './urgent-api';
export type { ThrottleMode, ThrottleOptions, ThrottledRoute } from './throttle';
export { encryptLarkPayload, larkSignatureOf, postWebhook, urlVerificationEvent } from './webhook-poster';
export type { WebhookAnswer, WebhookPostOptions } from './webhook-poster';
export { decodeFrame, encodeFrame } from './frame-codec';
export type { Frame, FrameHeader } from './frame-codec';
export { recordingSdkLogger } from './sdk-logger';
export type { RecordingSdkLogger } from './sdk-logger';
