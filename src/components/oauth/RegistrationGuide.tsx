import { Panel, PanelBody } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import type { OAuthProvider } from '../../types';
import { RegistrationSteps } from './RegistrationSteps';

function guideTitle( provider: OAuthProvider ): string {
	switch ( provider ) {
		case 'microsoft':
			return __(
				'How to register the app in Microsoft Entra ID',
				'smtp-port-helper'
			);
		case 'google':
			return __(
				'How to register the app in Google Cloud',
				'smtp-port-helper'
			);
	}
	return __(
		'How to register the app with your provider',
		'smtp-port-helper'
	);
}

/**
 * The app registration steps of the provider, folded until asked for (open while nothing is
 * connected and no client ID is entered: that is when they are needed).
 */
export function RegistrationGuide( {
	provider,
	transport,
	initialOpen,
}: {
	provider: OAuthProvider;
	/** The settings' transport: an API signs in with other scopes than SMTP. */
	transport?: string;
	initialOpen: boolean;
} ) {
	const [ opened, setOpened ] = useState( initialOpen );
	return (
		<Panel className="smtp-port-helper__guide">
			<PanelBody
				title={ guideTitle( provider ) }
				opened={ opened }
				onToggle={ () => setOpened( ! opened ) }
			>
				{ opened && (
					<RegistrationSteps
						provider={ provider }
						transport={ transport }
					/>
				) }
			</PanelBody>
		</Panel>
	);
}
