/** The one shape of anything loaded asynchronously (architecture.md rule 8). */
export type LoadState<T, E> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: E }
  | { readonly status: 'ready'; readonly value: T };
