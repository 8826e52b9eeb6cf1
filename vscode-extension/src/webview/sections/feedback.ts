import type { FieldErrors, FieldName } from '../../panel/messages';
import type { Reply } from '../rpc';

/** A section's outcome line shows the reply: its message, green or red. */
export function showReply(element: HTMLElement, reply: Reply): void {
  element.className = `message ${reply.ok ? 'ok' : 'error'}`;
  element.textContent = reply.message;
}

/** Puts each field's error into the slot for it within the section (`data-field`), and clears the others. */
export function sectionErrors(section: HTMLElement, errors: FieldErrors | undefined): void {
  section.querySelectorAll<HTMLElement>('.field-error').forEach((slot) => {
    slot.textContent = errors?.[slot.dataset.field as FieldName] ?? '';
  });
}
