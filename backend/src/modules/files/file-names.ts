/** Longest original name kept (the original's column width). */
const MAX_NAME = 255;

/**
 * A user's file name made harmless for display and headers: no directories (`../`, `C:\`), no
 * control or bidi-override characters, NFC, at most 255 characters. It is never a storage path.
 */
export function cleanFilename(raw: string | null | undefined): string {
  let name = (raw ?? '').normalize('NFC');
  name = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  name = name.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  name = name.trim().replace(/^\.+/, '');
  if (name === '') name = 'file';
  if (name.length > MAX_NAME) {
    const ext = extensionOf(name);
    name = name.slice(0, MAX_NAME - (ext ? ext.length + 1 : 0)) + (ext ? `.${ext}` : '');
  }
  return name;
}

/** A short safe extension of a name (letters and digits only), or ''. */
export function extensionOf(name: string): string {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(name);
  return m ? m[1].toLowerCase() : '';
}

/** The stored name: the file id and the original's extension (as the original kept one). */
export function storedFilename(id: string, original: string): string {
  const ext = extensionOf(original);
  return ext ? `${id}.${ext}` : id;
}
