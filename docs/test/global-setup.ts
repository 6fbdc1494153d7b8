// Extracts the guides' code blocks once, before any test file runs (they run in parallel).
import { writeSnippets } from '../scripts/extract-snippets.mjs';

export default function setup(): void {
  writeSnippets();
}
