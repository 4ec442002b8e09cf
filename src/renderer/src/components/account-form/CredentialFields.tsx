// The provider's own fields (client id, secrets, refresh token…), generated from its
// descriptor. Editing, a secret left empty keeps its stored value. Adding an account of a
// provider TokenDesk can sign in to, a choice comes first: sign in (the token fields are
// hidden: the sign-in fills them) or paste a refresh token.
import { Flex, Heading, RadioGroup, Text, TextField } from '@radix-ui/themes';
import type { FieldSpec, ProviderDescriptor } from '../../../../shared/provider-fields.js';
import { fieldKey, requiredByOtherFields, type FormErrors } from '../../lib/form.js';
import { SIGNED_IN_FIELDS } from '../../lib/signin.js';
import { CredentialSource, type CredentialSourceChoice } from './CredentialSource.js';
import { describedBy, FormField, inputId } from './FormField.js';

interface Props {
  descriptor: ProviderDescriptor;
  values: Readonly<Record<string, string>>;
  errors: FormErrors;
  editing: boolean;
  onChange: (fieldId: string, value: string) => void;
  /** The sign-in choice, when it is offered. */
  source?: { value: CredentialSourceChoice; onChange: (v: CredentialSourceChoice) => void };
}

export function CredentialFields({ descriptor, values, errors, editing, onChange, source }: Props) {
  const signingIn = source?.value === 'signin';
  return (
    <>
      <Heading as="h3" size="2" mb="2">
        {descriptor.name} credentials
      </Heading>
      {source && <CredentialSource providerName={descriptor.name} value={source.value} onChange={source.onChange} />}
      {descriptor.fields.filter((field) => !(signingIn && SIGNED_IN_FIELDS.includes(field.id))).map((field) => (
        <ProviderField
          key={`${descriptor.id}-${field.id}`}
          field={field}
          value={values[field.id] ?? ''}
          error={errors[fieldKey(field.id)]}
          editing={editing}
          requiredNow={requiredByOtherFields(descriptor, values, field.id)}
          onChange={(v) => onChange(field.id, v)}
        />
      ))}
    </>
  );
}

interface FieldProps {
  field: FieldSpec;
  value: string;
  error?: string;
  editing: boolean;
  /** Required by the provider's rule across fields, given the other values. */
  requiredNow: boolean;
  onChange: (v: string) => void;
}

function ProviderField({ field, value, error, editing, requiredNow, onChange }: FieldProps) {
  const key = fieldKey(field.id);
  const id = inputId(key);
  const required = (field.required || requiredNow) && !(editing && field.secret);
  const help = editing && field.secret ? `${field.help} Leave empty to keep the stored value.` : field.help;
  if (field.options) {
    return (
      <FormField id={key} label={field.label} help={help} docs={field.docs} error={error} required={required}>
        <RadioGroup.Root id={id} value={value || field.default || ''} onValueChange={onChange} aria-label={field.label} size="2">
          <Flex gap="4" wrap="wrap">
            {field.options.map((option) => (
              <Text as="label" size="2" key={option}>
                <Flex gap="2" align="center">
                  <RadioGroup.Item value={option} /> {option}
                </Flex>
              </Text>
            ))}
          </Flex>
        </RadioGroup.Root>
      </FormField>
    );
  }
  return (
    <FormField id={key} label={field.label} help={help} docs={field.docs} error={error} required={required}>
      <TextField.Root
        id={id}
        type={field.secret ? 'password' : 'text'}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={field.secret && editing ? '(unchanged)' : field.default}
        // Secrets: keep password managers and spellcheckers out of it.
        autoComplete={field.secret ? 'new-password' : 'off'}
        spellCheck={false}
        aria-invalid={Boolean(error)}
        aria-describedby={describedBy(key, error ? { [key]: error } : {})}
        aria-required={required}
        data-field={field.id}
      />
    </FormField>
  );
}
