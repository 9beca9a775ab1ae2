import { describe, expect, it } from 'vitest';
import { cleanFileName, FILE_NAME_MAX, nameContradicts, sniffFileType } from './file-type.js';

const bytes = (...b: number[]) => Buffer.from(b);

describe('consult file types', () => {
  it('reads the type from the first bytes', () => {
    expect(sniffFileType(Buffer.from('%PDF-1.7\n...'))).toBe('application/pdf');
    expect(sniffFileType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe(
      'image/png',
    );
    expect(sniffFileType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10))).toBe('image/jpeg');
    expect(sniffFileType(Buffer.from('Blutdruck 120/80\r\n\tmorgens — gut', 'utf8'))).toBe(
      'text/plain',
    );
  });

  it('refuses binaries, broken UTF-8, control characters and empty content', () => {
    expect(sniffFileType(bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0))).toBeUndefined(); // ELF
    expect(sniffFileType(Buffer.from('MZ\u0090\u0000'))).toBeUndefined(); // PE
    expect(sniffFileType(bytes(0x68, 0x69, 0xc3))).toBeUndefined(); // cut-off UTF-8
    expect(sniffFileType(Buffer.from('text\u001b[31mred'))).toBeUndefined();
    expect(sniffFileType(Buffer.alloc(0))).toBeUndefined();
    // A PNG signature cut short is not a PNG.
    expect(sniffFileType(bytes(0x89, 0x50, 0x4e, 0x47))).toBeUndefined();
  });

  it('takes HTML for text, so a name claiming PDF contradicts it', () => {
    const html = Buffer.from('<!doctype html><script>alert(1)</script>');
    const type = sniffFileType(html)!;
    expect(type).toBe('text/plain');
    expect(nameContradicts('scan.pdf', type)).toBe(true);
    expect(nameContradicts('page.html', type)).toBe(true);
    expect(nameContradicts('notes.TXT', type)).toBe(false);
    expect(nameContradicts('notes', type)).toBe(false);
    expect(nameContradicts('photo.JPEG', 'image/jpeg')).toBe(false);
    expect(nameContradicts('photo.png', 'image/jpeg')).toBe(true);
  });

  it('cleans names of paths, control and direction characters, and keeps them short', () => {
    expect(cleanFileName('../../etc/passwd', 'text/plain')).toBe('passwd');
    expect(cleanFileName('C:\\Users\\m\\Befund.pdf', 'application/pdf')).toBe('Befund.pdf');
    expect(cleanFileName('inv\u202Efdp.exe', 'text/plain')).toBe('invfdp.exe');
    expect(cleanFileName('a\u0000b\nc.txt', 'text/plain')).toBe('abc.txt');
    expect(cleanFileName('  ', 'image/png')).toBe('file.png');
    expect(cleanFileName('..', 'image/png')).toBe('file.png');
    const long = cleanFileName(`${'ä'.repeat(300)}.pdf`, 'application/pdf');
    expect([...long]).toHaveLength(FILE_NAME_MAX);
    expect(long.endsWith('ää.pdf')).toBe(true);
  });
});
