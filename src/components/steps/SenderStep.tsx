import { Notice } from '@wordpress/components';
import { Suspense, lazy } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { bootData } from '../../boot';
import type { FromAddress } from '../../types';
import type { FieldContext } from '../Fields';
import { TextField, ToggleField } from '../Fields';
import { Step } from './Step';

// The key's panel reads its own route when shown: a chunk of its own, not in the page's first script.
const DkimKey = lazy( () =>
	import( /* webpackChunkName: "dkim-key" */ '../DkimKey' ).then(
		( module ) => ( { default: module.DkimKey } )
	)
);

/**
 * Which From the saved settings give WordPress's mail, and why (the settings answer's `from_address`).
 * @param fromAddress The From and its reason.
 */
export function fromAddressText( fromAddress: FromAddress ): string {
	switch ( fromAddress.reason ) {
		case 'from_setting':
			return sprintf(
				/* translators: %s: email address */
				__(
					'With the saved settings, mail leaves from %s: the From email set here.',
					'smtp-port-helper'
				),
				fromAddress.email
			);
		case 'login_mailbox':
			return sprintf(
				/* translators: %s: email address */
				__(
					'With the saved settings, mail leaves from %s, the mailbox you log in with: the provider refuses or rewrites WordPress’s default sender (Microsoft 365 answers “SendAsDenied”).',
					'smtp-port-helper'
				),
				fromAddress.email
			);
		default:
			return sprintf(
				/* translators: %s: email address */
				__(
					'With the saved settings, mail leaves from WordPress’s default address %s. Set a From email your SMTP account may send as.',
					'smtp-port-helper'
				),
				fromAddress.email
			);
	}
}

/**
 * Step 5: the sender of every mail, whether it overrides what other plugins set, and the site's
 * DKIM key.
 */
export function SenderStep( {
	ctx,
	fromAddress,
}: {
	ctx: FieldContext;
	fromAddress: FromAddress;
} ) {
	return (
		<Step title={ __( '5. Sender', 'smtp-port-helper' ) }>
			<p className="smtp-port-helper__from-address">
				{ fromAddressText( fromAddress ) }
			</p>
			{ fromAddress.warning !== undefined && (
				<Notice status="warning" isDismissible={ false }>
					{ fromAddress.warning }
				</Notice>
			) }
			<div className="smtp-port-helper__fields is-even">
				<TextField
					ctx={ ctx }
					name="from_email"
					type="email"
					label={ __( 'From email', 'smtp-port-helper' ) }
					placeholder="wordpress@example.com"
				/>
				<TextField
					ctx={ ctx }
					name="from_name"
					label={ __( 'From name', 'smtp-port-helper' ) }
				/>
			</div>
			<ToggleField
				ctx={ ctx }
				name="force_from_email"
				label={ __(
					'Use this From email for all mail, even when a plugin sets another',
					'smtp-port-helper'
				) }
			/>
			<ToggleField
				ctx={ ctx }
				name="force_from_name"
				label={ __(
					'Use this From name for all mail, even when a plugin sets another',
					'smtp-port-helper'
				) }
			/>
			<ToggleField
				ctx={ ctx }
				name="return_path"
				label={ __(
					'Set the return path (envelope sender) to the From email',
					'smtp-port-helper'
				) }
				help={ __(
					'Bounces then go to the From address.',
					'smtp-port-helper'
				) }
			/>
			<ToggleField
				ctx={ ctx }
				name="dkim_signing"
				label={ __(
					'Sign mail with this site’s DKIM key',
					'smtp-port-helper'
				) }
				help={ __(
					'For mail from the key’s domain and names under it. Publish the key’s record first: until it is published the signature fails.',
					'smtp-port-helper'
				) }
			/>
			{ 'site' === bootData().scope && (
				<Suspense fallback={ null }>
					<DkimKey />
				</Suspense>
			) }
		</Step>
	);
}
