/**
 * Where the database lives when --db is not given: $CAMAUDIT_DB, else the platform's per-user data
 * directory (XDG_DATA_HOME or ~/.local/share on Linux, %APPDATA% on Windows,
 * ~/Library/Application Support on macOS), in a `camaudit/camaudit.db` file.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const defaultDbPath = (env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string => {
  if (env['CAMAUDIT_DB']) return env['CAMAUDIT_DB'];
  const base =
    platform === 'win32' ? (env['APPDATA'] ?? join(home, 'AppData', 'Roaming'))
    : platform === 'darwin' ? join(home, 'Library', 'Application Support')
    : (env['XDG_DATA_HOME'] ?? join(home, '.local', 'share'));
  return join(base, 'camaudit', 'camaudit.db');
};
