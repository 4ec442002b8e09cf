// The provider choice of a new account: one card per provider, built-ins in the registry's
// order, then those loaded from provider files.
import { Box, Flex, RadioCards, Text } from '@radix-ui/themes';
import { descriptorOf, providerIds } from '../../lib/provider-registry.js';
import { useStore } from '../../state/store.js';
import { ProviderFileDialog } from '../ProviderFileDialog.js';

export function ProviderPicker({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  // Re-render when the owner's provider list changes (a provider file added or removed).
  useStore((s) => s.providers);
  return (
    <Box mb="3">
      <Flex justify="between" align="center" mb="1">
        <Text as="div" size="2" weight="medium" id="provider-label">
          Provider
        </Text>
        <ProviderFileDialog onAdded={onChange} />
      </Flex>
      <RadioCards.Root value={value} onValueChange={(v) => onChange(v)} columns={{ initial: '1', sm: '2', md: '3' }} size="1" aria-labelledby="provider-label">
        {providerIds().map((id) => (
          <RadioCards.Item key={id} value={id} className="provider-card" aria-label={descriptorOf(id).name}>
            <Flex direction="column" width="100%">
              <Text weight="bold" size="2">
                {descriptorOf(id).name}
              </Text>
              <Text size="1" color="gray" className="provider-summary">
                {descriptorOf(id).summary}
              </Text>
            </Flex>
          </RadioCards.Item>
        ))}
      </RadioCards.Root>
    </Box>
  );
}
