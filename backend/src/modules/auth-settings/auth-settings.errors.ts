import { AppError } from '../../common/errors/app-error';

export const AuthSettingsErrors = {
  providerIncomplete: (provider: string, missing: string) =>
    AppError.validation(`Cannot enable ${provider}: ${missing} is not set`, [
      {
        field: `oauth_providers.${provider}.${missing}`,
        rule: 'required',
        message: `${missing} is required to enable ${provider}`,
      },
    ]),
  badRedirectUri: (uri: string) =>
    AppError.validation(
      `Redirect URI '${uri.slice(0, 200)}' must be an absolute http(s) URL without a fragment`,
      [
        {
          field: 'allowed_redirect_uris',
          rule: 'url',
          message: 'must be an absolute http(s) URL without a fragment',
        },
      ],
    ),
  badIssuer: () =>
    AppError.validation('oidc.issuer must be an https URL (http only for localhost)', [
      {
        field: 'oauth_providers.oidc.issuer',
        rule: 'url',
        message: 'must be an https URL (http only for localhost)',
      },
    ]),
  badSiteUrl: () =>
    AppError.validation('site_url must be an absolute http(s) URL without a fragment', [
      {
        field: 'site_url',
        rule: 'url',
        message: 'must be an absolute http(s) URL without a fragment',
      },
    ]),
};
