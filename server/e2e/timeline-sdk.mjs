// Sends one streamed request with the official Anthropic SDK at its default settings (its own retries included) and
// prints, as one JSON line, what the caller got and how long it took: used by NeverWorseThanDirectIT to run the same
// fault timeline directly and through the router.
//
//   node timeline-sdk.mjs <baseURL> <timeout ms>
import Anthropic from '@anthropic-ai/sdk';

const [baseURL, timeout] = process.argv.slice(2);
const client = new Anthropic({ baseURL, apiKey: 'sk-' + 'ant-timeline', timeout: Number(timeout) });
const started = performance.now();
try {
  const message = await client.messages
    .stream({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'say hi' }] })
    .finalMessage();
  console.log(JSON.stringify({
    ok: true,
    text: message.content.map((block) => block.text ?? '').join(''),
    ms: Math.round(performance.now() - started),
  }));
} catch (error) {
  console.log(JSON.stringify({
    ok: false,
    errorClass: error.constructor.name,
    status: error.status ?? null,
    type: error.error?.error?.type ?? null,
    ms: Math.round(performance.now() - started),
  }));
}
