/** The project's card templates, as the service loads them. */
export const TEMPLATES_DIR = new URL('../../../cds-hooks/templates', import.meta.url).pathname;
