/** A page of a cursor-paginated list. */
export interface CursorPage<T> {
  /** The items of this page. */
  data: T[];
  /** Pass as `cursor` for the next page; `null` on the last one. */
  nextCursor: string | null;
  /** Whether another page exists. */
  hasMore: boolean;
}

/**
 * The first page of a list, as a promise, that is also an async iterable over every item of every
 * page. The first request is made lazily, on the first `then` or iteration, and is shared by both.
 *
 * @example
 * const first = await client.ledger.list('me');             // { data, nextCursor, hasMore }
 * for await (const entry of client.ledger.list('me')) {}    // every entry, page after page
 */
export class PagePromise<T, P extends CursorPage<T> = CursorPage<T>> implements PromiseLike<P>, AsyncIterable<T> {
  // Private names (`#`) so that minifiers shorten them.
  readonly #fetchPage: (cursor: string | undefined) => Promise<P>;
  #first: Promise<P> | undefined;

  /** @param fetchPage loads the page after `cursor` (the first page when undefined). */
  constructor(fetchPage: (cursor: string | undefined) => Promise<P>) {
    this.#fetchPage = fetchPage;
  }

  #firstPage(): Promise<P> {
    return (this.#first ??= this.#fetchPage(undefined));
  }

  then<A = P, B = never>(
    onfulfilled?: ((page: P) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#firstPage().then(onfulfilled, onrejected);
  }

  /** Handles a failure of the first page's request, as `Promise.prototype.catch`. */
  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<P | B> {
    return this.#firstPage().catch(onrejected);
  }

  /** Runs `onfinally` once the first page settles, as `Promise.prototype.finally`. */
  finally(onfinally?: (() => void) | null): Promise<P> {
    return this.#firstPage().finally(onfinally);
  }

  /** Every item of every page, fetching the next page when the current one is used up. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    let page = await this.#firstPage();
    for (;;) {
      yield* page.data;
      if (!page.hasMore || !page.nextCursor) return;
      page = await this.#fetchPage(page.nextCursor);
    }
  }
}
