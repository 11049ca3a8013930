import { Button, Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

import type { FieldContext } from './Fields';

/**
 * For an API that signs in with OAuth 2.0: where the sign-in is, and the switch to it.
 */
export function SignInInstead( {
	ctx,
	label,
	profile,
}: {
	ctx: FieldContext;
	label: string;
	profile: string;
} ) {
	const { form, setField, locked } = ctx;
	const usesOAuth = form.auth && form.auth_method === 'oauth2';
	// Spoken as text: the button inside cannot be rendered to a string.
	const message = sprintf(
		/* translators: %s: provider name, e.g. Microsoft Graph. */
		__(
			"%s needs no API key: it sends with the site's OAuth 2.0 sign-in, which asks for its own permission to send. Save, then click “Connect” in step 2.",
			'smtp-port-helper'
		),
		label
	);
	return (
		<Notice
			spokenMessage={ message }
			status={ usesOAuth ? 'info' : 'warning' }
			isDismissible={ false }
		>
			<p>{ message }</p>
			{ ! usesOAuth && ! locked.auth_method && (
				<Button
					variant="secondary"
					onClick={ () => {
						setField( 'auth', true );
						setField( 'auth_method', 'oauth2' );
					} }
				>
					{ profile === 'google'
						? __( 'Use Sign in with Google', 'smtp-port-helper' )
						: __(
								'Use Sign in with Microsoft',
								'smtp-port-helper'
							) }
				</Button>
			) }
		</Notice>
	);
}
