import protobuf from 'protobufjs';
import { z } from 'zod';

/**
 * The long connection's wire format: protobuf `pbbp2.Frame`, field for field as the node SDK's generated
 * code encodes it (proto2, SeqID/LogID/service/method required). Method 0 is a control frame (ping/pong),
 * 1 a data frame (events and their ACKs); frame headers carry `type`, `message_id`, `sum`, `seq`, `trace_id`.
 */

const PBBP2 = `
syntax = "proto2";
package pbbp2;
message Header {
  required string key = 1;
  required string value = 2;
}
message Frame {
  required uint64 SeqID = 1;
  required uint64 LogID = 2;
  required int32 service = 3;
  required int32 method = 4;
  repeated Header headers = 5;
  optional string payloadEncoding = 6;
  optional string payloadType = 7;
  optional bytes payload = 8;
  optional string LogIDNew = 9;
}
`;

const FrameType = protobuf.parse(PBBP2).root.lookupType('pbbp2.Frame');

export const FRAME_METHOD = { control: 0, data: 1 } as const;

export interface FrameHeader {
  key: string;
  value: string;
}

export interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: FrameHeader[];
  payloadEncoding?: string;
  payloadType?: string;
  payload?: Uint8Array;
  LogIDNew?: string;
}

const DecodedFrameSchema = z.object({
  SeqID: z.number(),
  LogID: z.number(),
  service: z.number(),
  method: z.number(),
  headers: z.array(z.object({ key: z.string(), value: z.string() })).default([]),
  payloadEncoding: z.string().optional(),
  payloadType: z.string().optional(),
  payload: z.instanceof(Uint8Array).optional(),
  LogIDNew: z.string().optional(),
});

export function encodeFrame(frame: Frame): Uint8Array {
  return FrameType.encode(FrameType.fromObject(frame)).finish();
}

export function decodeFrame(bytes: Uint8Array): Frame {
  const raw: unknown = FrameType.toObject(FrameType.decode(bytes), { longs: Number, arrays: true });
  return DecodedFrameSchema.parse(raw);
}

export function headerValue(frame: Frame, key: string): string | undefined {
  return frame.headers.find((h) => h.key === key)?.value;
}
