/** A text field's value from a submitted form, trimmed; '' when absent. */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** A text field's whitespace-separated words (a list of scopes, say); none when absent. */
export function formWords(form: FormData, name: string): string[] {
  return formText(form, name).split(/\s+/).filter(Boolean);
}
