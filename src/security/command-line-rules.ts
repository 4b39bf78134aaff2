import { REDACTED } from './secret-keys';

/**
 * `--password hunter2`, `--db-password=x`, `--token x`: a flag named for a secret and its value, as
 * printed in process lists and command lines. (`key=value` catches `--password=x`; this catches the
 * space.) The flag must end in the secret word, so `--password-file /run/pw` keeps its path.
 */
const SECRET_FLAG =
  /(?<![\w-])(--?[A-Za-z][\w-]{0,60}?(?:password|passwd|pass|pwd|secret|token|api-?key|access-?key|private-?key))([ \t]+)(?!-)([^\s"'`]{1,512})/gi;
const secretFlags = (text: string): string => text.replace(SECRET_FLAG, `$1$2${REDACTED}`);

/** MySQL's `-pPASSWORD` (no space): read only on a line that runs a MySQL client, where `-p` means that. */
const MYSQL_CLIENT = /\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlpump|mariadb|mariadb-dump)\b/i;
const MYSQL_PASSWORD = /(?<=[ \t])-p(?!\[redacted\])([^\s"'`]{1,256})/g;
const mysqlPasswords = (text: string): string => {
  if (!MYSQL_CLIENT.test(text)) return text;
  return text
    .split('\n')
    .map((line) => (MYSQL_CLIENT.test(line) ? line.replace(MYSQL_PASSWORD, `-p${REDACTED}`) : line))
    .join('\n');
};

export const commandLines = (text: string): string => mysqlPasswords(secretFlags(text));
