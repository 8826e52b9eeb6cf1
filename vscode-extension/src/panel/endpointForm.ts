import type { EndpointInfo, EndpointSettings } from '../protocol/protocol';
import type { EndpointForm, FieldErrors } from './messages';

/**
 * Reads the endpoint form's text fields into the protocol's `EndpointSettings`. Only the form's own syntax is checked
 * here (a model map line without `=`, a header without `:`); whether the values are allowed is the sidecar's call,
 * which validates every change exactly as it validates the file.
 *
 * @param existing the endpoint being edited, to send only what the form changes about its headers
 */
export function settingsFromForm(
  form: EndpointForm,
  existing?: EndpointInfo,
): { settings?: EndpointSettings; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = form.name.trim();
  if (!name) {
    errors.name = 'Give the endpoint a name (letters, digits, . _ -); it appears in endpoint,model ids.';
  }
  const baseUrl = form.baseUrl.trim();
  if (!baseUrl) {
    errors.baseUrl = 'Give the API root including its version segment, such as https://api.openai.com/v1.';
  }

  const models = form.models
    .split(/[\n,]/)
    .map((model) => model.trim())
    .filter(Boolean);

  const modelMap: Record<string, string> = {};
  form.modelMap.split('\n').forEach((line, i) => {
    if (!line.trim()) {
      return;
    }
    const at = line.indexOf('=');
    const from = at < 0 ? '' : line.slice(0, at).trim();
    const to = at < 0 ? '' : line.slice(at + 1).trim();
    if (!from || !to) {
      errors.modelMap ??= `Line ${i + 1}: write one "requested model = endpoint model" per line, such as claude-sonnet-* = glm-4.6.`;
      return;
    }
    modelMap[from] = to;
  });

  const headers: Record<string, string> = {};
  form.headers.split('\n').forEach((line, i) => {
    if (!line.trim()) {
      return;
    }
    const at = line.indexOf(':');
    const headerName = at < 0 ? '' : line.slice(0, at).trim();
    if (!headerName) {
      errors.headers ??= `Line ${i + 1}: write one "Name: value" per line.`;
      return;
    }
    headers[headerName] = line.slice(at + 1).trim();
  });

  if (Object.keys(errors).length) {
    return { errors };
  }
  const removeHeaders = form.removeHeaders.filter(
    (header) => existing?.headerNames.includes(header) && !(header in headers),
  );
  const settings: EndpointSettings = {
    name,
    type: form.type,
    baseUrl,
    ...(form.type === 'CUSTOM' && form.format ? { format: form.format } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(removeHeaders.length ? { removeHeaders } : {}),
    models,
    modelMap,
  };
  return { settings, errors };
}

/** The text the form shows for a configured endpoint (no key, no header values: the panel never gets them). */
export function formOf(endpoint: EndpointInfo): EndpointForm {
  return {
    name: endpoint.name,
    type: endpoint.type,
    baseUrl: endpoint.baseUrl,
    format: endpoint.type === 'CUSTOM' ? endpoint.format : '',
    models: endpoint.models.join(', '),
    modelMap: Object.entries(endpoint.modelMap)
      .map(([from, to]) => `${from} = ${to}`)
      .join('\n'),
    headers: '',
    removeHeaders: [],
    apiKey: '',
    clearApiKey: false,
  };
}
