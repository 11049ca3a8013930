import { Suspense, lazy, useState } from '@wordpress/element';
import type { ReactNode } from 'react';
import { __ } from '@wordpress/i18n';

import { bootData } from '../boot';
import { oauthCallbackResult } from '../oauth';
import type { OAuthConnection } from '../types';
import { SendPathNotice } from './SendPathNotice';

// Only after the provider's sign-in sent the browser back here: in the OAuth login's chunk.
const OAuthCallbackNotice = lazy( () =>
	import(
		/* webpackChunkName: "oauth-login" */ './oauth/OAuthCallbackNotice'
	).then( ( module ) => ( { default: module.OAuthCallbackNotice } ) )
);

// Only while mail waits in this site's outbox (the boot data counts it).
const OutboxSection = lazy( () =>
	import(
		/* webpackChunkName: "outbox-section" */ './outbox/OutboxSection'
	).then( ( module ) => ( { default: module.OutboxSection } ) )
);

function outboxWaits(): boolean {
	return Object.values( bootData().outboxCounts ).some(
		( count ) => count > 0
	);
}

interface Props {
	connection: OAuthConnection;
	/** What the screen reader's live region says now. */
	message: string;
	announce: ( text: string ) => void;
	/** The steps. */
	children: ReactNode;
}

/**
 * The page around its steps, and what it says before them: the title, the path the last mail
 * took, the sign-in's result after the provider sent the browser back, the introduction, the live
 * region, the outbox.
 */
export function PageFrame( {
	connection,
	message,
	announce,
	children,
}: Props ) {
	// Whether the provider's sign-in sent the browser back here (the notice then cleans the URL).
	const [ oauthCallback ] = useState(
		() => oauthCallbackResult( window.location.search ) !== null
	);
	return (
		<div className="smtp-port-helper">
			<h1>{ __( 'SMTP Port Helper', 'smtp-port-helper' ) }</h1>
			<SendPathNotice />
			{ oauthCallback && (
				<Suspense fallback={ null }>
					<OAuthCallbackNotice connection={ connection } />
				</Suspense>
			) }
			<p className="smtp-port-helper__intro">
				{ __(
					'Mails from your site do not arrive? Choose your provider, enter the login, test which ports work from this server, use the recommended one, then send a test email.',
					'smtp-port-helper'
				) }
			</p>
			<div
				className="screen-reader-text"
				role="status"
				aria-live="polite"
			>
				{ message }
			</div>
			{ outboxWaits() && (
				<Suspense fallback={ null }>
					<OutboxSection announce={ announce } />
				</Suspense>
			) }
			{ children }
		</div>
	);
}
