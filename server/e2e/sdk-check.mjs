// Sends one request through the router with the official Anthropic SDK and prints, as one JSON line, what the SDK
// made of the answer: the final message (the SDK rejects malformed event order, frames without `event:` lines and
// bad JSON), the event types seen, or the error class the SDK chose. Used by SdkStreamIT.
//
//   node sdk-check.mjs <baseURL> <request.json> <stream|create>
import Anthropic from '@anthropic-ai/sdk';
import { readFileSync } from 'node:fs';

const [baseURL, requestFile, mode] = process.argv.slice(2);
const params = JSON.parse(readFileSync(requestFile, 'utf8'));
delete params.stream;
const client = new Anthropic({ baseURL, apiKey: 'ccr', maxRetries: 0, timeout: 20_000 });

try {
  const events = [];
  let message;
  if (mode === 'stream') {
    const stream = client.messages.stream(params);
    stream.on('streamEvent', (event) => events.push(event.type));
    message = await stream.finalMessage();
  } else {
    message = await client.messages.create(params);
  }
  console.log(JSON.stringify({ ok: true, message, events }));
} catch (error) {
  console.log(JSON.stringify({
    ok: false,
    errorClass: error.constructor.name,
    status: error.status ?? null,
    type: error.error?.error?.type ?? error.type ?? null,
    message: error.message,
  }));
}
