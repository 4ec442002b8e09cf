// The provider choice of a new account: one card per provider, in the registry's order.
import { Box, Flex, RadioCards, Text } from '@radix-ui/themes';
import { PROVIDER_IDS, type ProviderId } from '../../../../shared/domain.js';
import { providerDescriptors } from '../../../../shared/providers/index.js';

export function ProviderPicker({ value, onChange }: { value: ProviderId; onChange: (id: ProviderId) => void }) {
  return (
    <Box mb="3">
      <Text as="div" size="2" weight="medium" mb="1" id="provider-label">
        Provider
      </Text>
      <RadioCards.Root
        value={value}
        onValueChange={(v) => onChange(v as ProviderId)}
        columns={{ initial: '1', sm: '2', md: '3' }}
        size="1"
        aria-labelledby="provider-label"
      >
        {PROVIDER_IDS.map((id) => (
          <RadioCards.Item key={id} value={id} className="provider-card" aria-label={providerDescriptors[id].name}>
            <Flex direction="column" width="100%">
              <Text weight="bold" size="2">
                {providerDescriptors[id].name}
              </Text>
              <Text size="1" color="gray" className="provider-summary">
                {providerDescriptors[id].summary}
              </Text>
            </Flex>
          </RadioCards.Item>
        ))}
      </RadioCards.Root>
    </Box>
  );
}
