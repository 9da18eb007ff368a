import type { Definitions } from '../course/index.js';
import { ConfigError, loadConfig } from '../config.js';

/**
 * The definitions the CLI works with: the shipped courses plus whatever CDS_CONFIG names (its course folders and
 * overrides), read once when first needed. An invalid configuration is reported as the service would report it.
 */
export function cliDefinitions(env: NodeJS.ProcessEnv, projectRoot: string): () => Definitions {
  let definitions: Definitions | undefined;
  return () => {
    if (definitions) return definitions;
    try {
      definitions = loadConfig({ ...env, NODE_ENV: 'test' }, projectRoot).course.definitions;
    } catch (error) {
      if (error instanceof ConfigError) {
        process.stderr.write(`${error.message}\n`);
        process.exit(78);
      }
      throw error;
    }
    return definitions;
  };
}
