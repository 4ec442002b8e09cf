// One labelled field of the account form, with its help and its error, and the ids that
// tie them together for assistive technology (aria-describedby).
import type { ReactNode } from 'react';
import { Box, Link, Text } from '@radix-ui/themes';
import type { FormErrors, FormState } from '../../lib/form.js';

/** The id of the input for a form key ("values.client_id" → "f-values-client_id"). */
export const inputId = (key: string): string => `f-${key.replace(/\./g, '-')}`;

/** The ids of the help text and, when there is one, the error of a field. */
export function describedBy(key: string, errors: FormErrors): string {
  return [`${inputId(key)}-help`, errors[key] ? `${inputId(key)}-error` : ''].filter(Boolean).join(' ');
}

/** What a group of the form's fields reads and writes. */
export interface FieldGroupProps {
  state: FormState;
  errors: FormErrors;
  update: (patch: Partial<FormState>) => void;
  clearError: (key: string) => void;
}

export function FormField({
  id,
  label,
  help,
  docs,
  error,
  required,
  grow = true,
  children,
}: {
  id: string;
  label: string;
  help?: string;
  /** The vendor's page on how to get the value: opens in the browser, never inside TokenDesk. */
  docs?: { label: string; url: string };
  error?: string;
  required?: boolean;
  grow?: boolean;
  children: ReactNode;
}) {
  return (
    <Box mb="3" className={`form-field${grow ? ' grow' : ''}`}>
      <Text as="label" size="2" weight="medium" htmlFor={inputId(id)} id={id === 'environment' ? 'environment-label' : undefined} className="field-label">
        {label}
        {required && (
          <Text color="red" aria-hidden="true">
            {' '}*
          </Text>
        )}
      </Text>
      <Box mt="1">{children}</Box>
      {help && (
        <Text as="div" size="1" color="gray" mt="1" id={`${inputId(id)}-help`}>
          {help}
          {docs && (
            <>
              {' '}
              <Link href={docs.url} target="_blank" rel="noopener noreferrer" size="1">
                {docs.label}
              </Link>
            </>
          )}
        </Text>
      )}
      {error && (
        <Text as="div" size="1" color="red" mt="1" id={`${inputId(id)}-error`} className="field-error" data-testid={`error-${id}`}>
          {error}
        </Text>
      )}
    </Box>
  );
}
