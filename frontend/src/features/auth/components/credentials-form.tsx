import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ApiError, errorMessage } from '@/lib/api-client';
import type { Credentials } from '../types';

interface CredentialsFormProps {
  mode: 'login' | 'register';
  onSubmit: (values: Credentials) => void;
  pending: boolean;
  error: unknown;
}

export function CredentialsForm({ mode, onSubmit, pending, error }: CredentialsFormProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const fieldErrors = error instanceof ApiError ? error.errors : [];
  const errorFor = (field: string) => fieldErrors.find((e) => e.field === field)?.message;

  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit({ email: email.trim(), password });
  }

  return (
    <form onSubmit={submit} className="grid grid-cols-1 gap-4" noValidate={false}>
      {error != null && (
        <Alert tone="danger" title={mode === 'login' ? 'Could not sign in' : 'Could not sign up'}>
          {errorMessage(error)}
        </Alert>
      )}
      <Field id="email" label="Email" error={errorFor('email')}>
        <Input
          id="email"
          type="email"
          autoComplete="email"
          required
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          placeholder="you@company.com"
        />
      </Field>
      <Field
        id="password"
        label="Password"
        hint={mode === 'register' ? 'At least 8 characters.' : undefined}
        error={errorFor('password')}
      >
        <Input
          id="password"
          type="password"
          autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
          required
          minLength={mode === 'register' ? 8 : undefined}
          maxLength={128}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </Field>
      <Button type="submit" loading={pending} className="mt-1 w-full">
        {mode === 'login' ? 'Sign in' : 'Create account'}
      </Button>
    </form>
  );
}
