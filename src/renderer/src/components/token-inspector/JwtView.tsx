// A revealed JWT's header and claims (access token or ID token), dates in words.
import { Box, Code, Text } from '@radix-ui/themes';
import { useNow } from '../../state/clock.js';
import { claimRows, decodeJwt } from '../../lib/jwt.js';
import { fullTime, relativeTo } from '../../lib/time.js';

export function JwtView({ token, testId = 'jwt' }: { token: string; testId?: string }) {
  const now = useNow();
  const decoded = decodeJwt(token);
  if (!decoded) {
    return (
      <Text as="p" size="2" color="gray" data-testid={`${testId}-opaque`}>
        This token is opaque (not a JWT): there is nothing to decode.
      </Text>
    );
  }
  return (
    <Box data-testid={`${testId}-decoded`}>
      <Text as="div" size="2" weight="medium" mb="1">
        JWT header
      </Text>
      <pre className="json-block">{JSON.stringify(decoded.header, null, 2)}</pre>
      <Text as="div" size="2" weight="medium" mt="2" mb="1">
        Claims
      </Text>
      <table className="data-table claims-table">
        <tbody>
          {claimRows(decoded.claims).map((row) => (
            <tr key={row.name}>
              <th scope="row">
                <Code variant="ghost">{row.name}</Code>
              </th>
              <td className="claim-value">
                {row.dateMs !== undefined ? (
                  <>
                    {fullTime(row.dateMs)} <Text color="gray">({relativeTo(row.dateMs, now)})</Text>
                  </>
                ) : (
                  row.value
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Box>
  );
}
