/** The migration files and drizzle-kit's journal of them, as shipped in drizzle/. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The drizzle/ folder shipped beside src/ and dist/. */
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

export interface Migration {
  tag: string;
  when: number;
  hash: string;
  statements: string[];
}

/** Read drizzle-kit's journal and files, hashed exactly as drizzle hashes them. */
export function readMigrations(folder = migrationsFolder): Migration[] {
  const journal = JSON.parse(readFileSync(`${folder}/meta/_journal.json`, 'utf8')) as {
    entries: { tag: string; when: number }[];
  };
  return journal.entries.map(({ tag, when }) => {
    const text = readFileSync(`${folder}/${tag}.sql`, 'utf8');
    return {
      tag,
      when,
      hash: createHash('sha256').update(text).digest('hex'),
      statements: text.split('--> statement-breakpoint').filter((s) => s.trim() !== ''),
    };
  });
}
