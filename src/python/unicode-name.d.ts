// Types for the `unicode-name` package (it ships none): the two functions src/python/unicode-names.ts uses.
declare module 'unicode-name' {
  export function unicodeBaseName(char: string | number): string | undefined;
  export function unicodeAliases(char: string | number): Record<string, string[]> | undefined;
}
