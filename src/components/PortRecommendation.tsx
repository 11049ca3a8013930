import { Button } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import type { Encryption, Recommendation } from '../types';
import { recommendationText } from '../text/port-check-text';

interface Props {
	recommendation: Recommendation;
	/** False while the results are stale: the port was tested with something else. */
	canApply: boolean;
	/** The provider's name when the recommendation is its HTTPS API. */
	apiLabel?: string;
	/** The saved port, encryption and transport: once the recommendation is saved, the save hint goes. */
	saved?: { port: number; encryption: Encryption; transport?: string };
	onApply: ( recommendation: Recommendation ) => void;
}

/**
 * The port the check recommends, why, and the button that fills it into the form.
 */
export function PortRecommendation( {
	recommendation,
	apiLabel,
	canApply,
	saved,
	onApply,
}: Props ) {
	const [ applied, setApplied ] = useState( false );
	const isSaved = recommendation.transport
		? saved?.transport === recommendation.transport
		: saved?.port === recommendation.port &&
			saved?.encryption === recommendation.encryption;
	return (
		<div className="smtp-port-helper__recommendation">
			<h3>{ __( 'Recommendation', 'smtp-port-helper' ) }</h3>
			<p>{ recommendation.reason }</p>
			{ canApply && (
				<Button
					variant="primary"
					onClick={ () => {
						onApply( recommendation );
						setApplied( true );
					} }
					__next40pxDefaultSize
				>
					{ recommendation.transport
						? sprintf(
								/* translators: %s: provider name, e.g. SendGrid. */
								__(
									'Use the HTTPS API of %s',
									'smtp-port-helper'
								),
								apiLabel ?? recommendation.transport
							)
						: recommendationText( recommendation ) }
				</Button>
			) }
			{ canApply && applied && ! isSaved && (
				<p>
					{ recommendation.transport
						? __(
								'The HTTPS API is chosen. Enter what it needs below, then save the settings to use it.',
								'smtp-port-helper'
							)
						: __(
								'Port and encryption are filled in. Save the settings to use them.',
								'smtp-port-helper'
							) }
				</p>
			) }
		</div>
	);
}
