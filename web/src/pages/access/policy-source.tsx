import { useTranslation } from 'react-i18next';
import type { PolicyFile } from '@safeconsult/protocol';

const isComment = (line: string) => line.trimStart().startsWith('//');

/** The comment a policy file opens with: what the file is about, in its author's words. */
export function filePurpose(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex(isComment);
  if (start < 0) return '';
  const end = lines.findIndex((line, i) => i > start && !isComment(line));
  return lines
    .slice(start, end < 0 ? undefined : end)
    .map((line) => line.trimStart().replace(/^\/\/\s*/, ''))
    .join(' ')
    .trim();
}

/** Cedar text as written, with its comments set apart: they are what an officer reads first. */
export function PolicySource({ text }: { text: string }) {
  return (
    <pre className="policy-source">
      <code>
        {text.split('\n').map((line, i) => (
          <span key={i} className={isComment(line) ? 'policy-comment' : undefined}>
            {line}
            {'\n'}
          </span>
        ))}
      </code>
    </pre>
  );
}

/** The files of a policy set, each folded under its name and opening comment. */
export function PolicyFiles({ files, schema }: { files: PolicyFile[]; schema: string }) {
  const { t } = useTranslation();
  return (
    <div className="policy-files">
      {files.map((file) => (
        <details key={file.name} className="policy-file">
          <summary>
            <code>{file.name}</code> <span className="muted">{filePurpose(file.text)}</span>
          </summary>
          <PolicySource text={file.text} />
        </details>
      ))}
      <details className="policy-file">
        <summary>
          <code>schema.cedarschema</code> <span className="muted">{t('accessPolicy.schema')}</span>
        </summary>
        <PolicySource text={schema} />
      </details>
    </div>
  );
}
