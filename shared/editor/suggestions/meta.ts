/** Transactions carrying this meta are applied as they are, even in suggest mode (review actions, comments). */
export const SKIP_SUGGEST = 'suggestChanges.skip'
