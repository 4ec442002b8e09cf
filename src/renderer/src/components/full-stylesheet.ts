// The page starts with a stylesheet that holds only what the first screen can use; the rules
// of the components used only by the parts loaded on demand (dialogs, details, timeline,
// history) are in the full stylesheet, which its <link> names in `data-full-stylesheet`
// (the build does this: build/first-screen-css.ts). loadFullStylesheet() loads that sheet
// right after the first one, in the same place in the cascade, then removes the first: the
// full sheet holds every rule of the first in the same order, so the styles do not change.
// Without the attribute (the dev server) there is nothing to load.

let loading: Promise<void> | undefined;

/** Resolves once the full stylesheet applies; a failed load rejects, and the next call tries again. */
export function loadFullStylesheet(doc: Document = document): Promise<void> {
  loading ??= load(doc).catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

function load(doc: Document): Promise<void> {
  const first = doc.querySelector<HTMLLinkElement>('link[rel="stylesheet"][data-full-stylesheet]');
  const href = first?.dataset.fullStylesheet;
  if (!first || !href) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const full = doc.createElement('link');
    full.rel = 'stylesheet';
    if (first.crossOrigin !== null) full.crossOrigin = first.crossOrigin;
    full.href = href;
    full.addEventListener('load', () => {
      first.remove();
      resolve();
    });
    full.addEventListener('error', () => {
      full.remove();
      reject(new Error(`The dashboard's stylesheet (${href}) did not load: reload the page.`));
    });
    first.after(full);
  });
}
