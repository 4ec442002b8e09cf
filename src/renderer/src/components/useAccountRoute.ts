// Follows the `#/accounts/<id>` deep link (src/shared/routes.ts): on load and on each
// hashchange, once the accounts are loaded, `open(id)` is called for a known account and the
// fragment is consumed, so the same link opened again (a second notification click) fires
// hashchange again.
import { useEffect, useState } from 'react';
import { accountIdFromFragment } from '../../../shared/routes.js';

export function useAccountRoute(ready: boolean, isKnown: (id: string) => boolean, open: (id: string) => void): void {
  const [pending, setPending] = useState(() => accountIdFromFragment(location.hash));

  useEffect(() => {
    const onHashChange = () => {
      const id = accountIdFromFragment(location.hash);
      if (id) setPending(id);
    };
    addEventListener('hashchange', onHashChange);
    return () => removeEventListener('hashchange', onHashChange);
  }, []);

  useEffect(() => {
    if (!pending || !ready) return;
    if (isKnown(pending)) open(pending);
    setPending(undefined);
    history.replaceState(history.state, '', location.pathname + location.search);
  }, [pending, ready, isKnown, open]);
}
