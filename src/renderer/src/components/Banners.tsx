// The banners under the header, each shown while its condition holds: the web bridge lost
// its connection, demo mode, damaged files found in the data dir and moved aside, a weakly
// protected vault.
import { Box, Callout } from '@radix-ui/themes';
import { ExclamationTriangleIcon, MixIcon } from '@radix-ui/react-icons';
import type { ConnectionStatus } from '../bridge/web-bridge.js';
import type { OwnerStatus, VaultStatus } from '../state/store.js';
import { WeakVaultWarning } from './WeakVaultWarning.js';
import { TeamOfflineBanner } from './TeamVault.js';

interface Props {
  connection: ConnectionStatus | undefined;
  owner: OwnerStatus | undefined;
  vault: VaultStatus | undefined;
}

export function Banners({ connection, owner, vault }: Props) {
  return (
    <>
      {connection && connection.state !== 'open' && connection.opens > 0 && (
        <Callout.Root color="red" size="1" className="banner" role="alert" data-testid="connection-banner">
          <Callout.Icon>
            <ExclamationTriangleIcon />
          </Callout.Icon>
          <Callout.Text>Lost the connection to TokenDesk (tokendesk serve). Reconnecting… Is it still running? What you see may be out of date.</Callout.Text>
        </Callout.Root>
      )}
      {owner?.demo === true && (
        <Callout.Root color="amber" size="1" className="banner" role="note" data-testid="demo-banner">
          <Callout.Icon>
            <MixIcon />
          </Callout.Icon>
          <Callout.Text>
            <strong>DEMO — simulated providers, nothing here is real.</strong> These accounts talk to local simulators and live in a separate demo data dir, wiped at the next start; your own accounts
            and vault are not touched.
          </Callout.Text>
        </Callout.Root>
      )}
      {owner?.storageReports?.length ? <StorageReports reports={owner.storageReports} /> : null}
      <TeamOfflineBanner />
      {vault && vault.protection !== 'strong' && (
        <Box className="banner">
          <WeakVaultWarning explanation={vault.explanation} />
        </Box>
      )}
    </>
  );
}

function StorageReports({ reports }: { reports: NonNullable<OwnerStatus['storageReports']> }) {
  return (
    <Callout.Root color="orange" size="1" className="banner" role="alert" data-testid="storage-banner">
      <Callout.Icon>
        <ExclamationTriangleIcon />
      </Callout.Icon>
      <Callout.Text>
        <strong>TokenDesk found damaged files in its data dir.</strong> They were moved aside and kept, never overwritten:
      </Callout.Text>
      <ul className="storage-reports">
        {reports.map((r) => (
          <li key={`${r.file}→${r.movedTo ?? ''}`}>
            <code>{r.file}</code>: {r.reason}
            {r.movedTo ? (
              <>
                {' '}
                — now <code>{r.movedTo}</code>
              </>
            ) : null}
            . Lost: {r.lost}.
          </li>
        ))}
      </ul>
    </Callout.Root>
  );
}
