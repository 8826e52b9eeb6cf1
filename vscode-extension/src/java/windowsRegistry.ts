import { execFile } from 'node:child_process';

/**
 * Where Windows installers of Java record their folder, per machine (HKLM) and per user (HKCU): Oracle's and most
 * OpenJDK builds under JavaSoft (`JavaHome`), Temurin under Eclipse Adoptium or, before, Eclipse Foundation
 * (`…\hotspot\MSI`, `Path`), Microsoft's build (`Path`), Azul Zulu and BellSoft Liberica (`InstallationPath`).
 */
export const REGISTRY_KEYS: readonly string[] = ['HKLM', 'HKCU'].flatMap((hive) =>
  [
    'SOFTWARE\\JavaSoft',
    'SOFTWARE\\Eclipse Adoptium',
    'SOFTWARE\\Eclipse Foundation',
    'SOFTWARE\\Microsoft\\JDK',
    'SOFTWARE\\Azul Systems\\Zulu',
    'SOFTWARE\\BellSoft\\Liberica',
  ].map((key) => `${hive}\\${key}`),
);

const VALUE_LINE = /^\s+(JavaHome|Path|InstallationPath)\s+REG_(?:EXPAND_)?SZ\s+(.+?)\s*$/;

/** The Java folders named in `reg query <key> /s` output, in the order listed. */
export function parseRegQuery(printed: string): string[] {
  const homes: string[] = [];
  for (const line of printed.split(/\r?\n/)) {
    const match = VALUE_LINE.exec(line);
    if (match && !homes.includes(match[2])) {
      homes.push(match[2]);
    }
  }
  return homes;
}

/** Runs `reg query`; a key that does not exist is an empty answer, not a failure. */
export type RegQuery = (key: string) => Promise<string>;

const regQuery: RegQuery = (key) =>
  new Promise((resolve) => {
    execFile('reg.exe', ['query', key, '/s'], { timeout: 10_000, windowsHide: true }, (error, stdout) =>
      resolve(error ? '' : stdout),
    );
  });

/** Java folders the Windows registry knows; on other systems, none. */
export async function javaHomesFromRegistry(
  platform: NodeJS.Platform = process.platform,
  query: RegQuery = regQuery,
): Promise<string[]> {
  if (platform !== 'win32') {
    return [];
  }
  const answers = await Promise.all(REGISTRY_KEYS.map(query));
  return [...new Set(answers.flatMap(parseRegQuery))];
}
