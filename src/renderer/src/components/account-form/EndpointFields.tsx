// Where the account's token endpoint is: the provider's environment (when it has more
// than one) and an optional base URL that overrides it. Nothing for providers without
// environments (their endpoint is a credential field, e.g. oauth2's token URL).
import { Flex, RadioGroup, Text, TextField } from '@radix-ui/themes';
import type { ProviderDescriptor } from '../../../../shared/provider-fields.js';
import { describedBy, FormField, inputId, type FieldGroupProps } from './FormField.js';

export function EndpointFields({ descriptor, state, errors, update, clearError }: FieldGroupProps & { descriptor: ProviderDescriptor }) {
  const environments = descriptor.environments;
  const chosenEnv = environments.find((e) => e.id === state.environment);
  if (environments.length === 0) return null;
  return (
    <Flex gap="4" wrap="wrap" className="env-row">
      {environments.length > 1 && (
        <FormField id="environment" label="Environment" error={errors['environment']} grow={false}>
          <RadioGroup.Root
            id={inputId('environment')}
            value={state.environment}
            onValueChange={(v) => update({ environment: v })}
            aria-labelledby="environment-label"
            size="2"
          >
            {environments.map((env) => (
              <Text as="label" size="2" key={env.id}>
                <Flex gap="2" align="center">
                  <RadioGroup.Item value={env.id} /> {env.label}
                </Flex>
              </Text>
            ))}
          </RadioGroup.Root>
        </FormField>
      )}
      <FormField id="baseUrl" label="Base URL override (optional)" help={`Empty: ${chosenEnv?.label ?? 'the environment'}’s URL. https://, or http:// on localhost (simulators, proxies).`} error={errors['baseUrl']}>
        <TextField.Root
          id={inputId('baseUrl')}
          value={state.baseUrl}
          placeholder={chosenEnv?.baseUrl ?? environments[0]!.baseUrl}
          onChange={(e) => {
            update({ baseUrl: e.target.value });
            clearError('baseUrl');
          }}
          autoComplete="off"
          spellCheck={false}
          inputMode="url"
          aria-invalid={Boolean(errors['baseUrl'])}
          aria-describedby={describedBy('baseUrl', errors)}
        />
      </FormField>
    </Flex>
  );
}
