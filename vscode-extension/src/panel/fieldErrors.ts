import { ErrorCodes, type ConfigProblemInfo } from '../protocol/protocol';
import { CcrRpcError } from '../rpc/ccrConnection';
import { SCENARIOS, type FieldErrors, type FieldName, type Scenario } from './messages';

const ENDPOINT_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'type',
  'baseUrl',
  'format',
  'models',
  'modelMap',
  'headers',
  'apiKey',
]);

/**
 * Which form field a config problem belongs to, from its JSON path. Problems of the endpoint being edited
 * (`$.endpoints[i].baseUrl`) go to that field; problems elsewhere in the file go to the form as a whole, since the user
 * cannot fix them in this form.
 *
 * @param endpointIndex the index the edited endpoint has (or will have) in the file, when the form edits one
 */
export function fieldOfProblem(problem: ConfigProblemInfo, endpointIndex?: number): FieldName {
  const path = problem.path ?? '';
  const endpoint = /^\$\.endpoints\[(\d+)\](?:\.(\w+))?/.exec(path);
  if (endpoint) {
    const field = endpoint[2];
    if (Number(endpoint[1]) === endpointIndex && field && ENDPOINT_FIELDS.has(field)) {
      return field as FieldName;
    }
    return 'form';
  }
  if (path === '$.defaultEndpoint') {
    return 'defaultEndpoint';
  }
  if (path.startsWith('$.cache.ttl')) {
    return 'cache.ttl';
  }
  if (path.startsWith('$.cache.enabled')) {
    return 'cache.enabled';
  }
  const route = /^\$\.routes\.(\w+)/.exec(path);
  if (route && (SCENARIOS as readonly string[]).includes(route[1])) {
    return `routes.${route[1] as Scenario}`;
  }
  if (path.startsWith('$.routes')) {
    return 'routes';
  }
  if (path.startsWith('$.limits')) {
    return 'limits';
  }
  return 'form';
}

/** The message of a problem as it shows next to a field: what is wrong, without the file and path the field implies. */
export function describeProblem(problem: ConfigProblemInfo, field: FieldName): string {
  if (field !== 'form') {
    return problem.message;
  }
  const where = [problem.path, problem.line ? `line ${problem.line}` : undefined].filter(Boolean).join(', ');
  return where ? `${where}: ${problem.message}` : problem.message;
}

/** Turns a failed config change into errors next to the fields, one message per field. */
export function fieldErrorsOf(error: unknown, endpointIndex?: number): FieldErrors {
  const errors: FieldErrors = {};
  const add = (field: FieldName, message: string) => {
    errors[field] = errors[field] ? `${errors[field]}; ${message}` : message;
  };
  if (error instanceof CcrRpcError) {
    if (error.code === ErrorCodes.ENDPOINT_EXISTS) {
      add('name', error.message);
    } else if (error.problems.length) {
      for (const problem of error.problems) {
        const field = fieldOfProblem(problem, endpointIndex);
        add(field, describeProblem(problem, field));
      }
    } else {
      add('form', error.message);
    }
  } else {
    add('form', error instanceof Error ? error.message : String(error));
  }
  return errors;
}
