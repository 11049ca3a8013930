import { Button } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import type { Recommendation } from '../types';
import { recommendationText } from './port-check-text';

interface Props {
	recommendation: Recommendation;
	onApply: ( recommendation: Recommendation ) => void;
}

/**
 * The port the check recommends, why, and the button that fills it into the form.
 * @param root0
 * @param root0.recommendation
 * @param root0.onApply
 */
export function PortRecommendation( { recommendation, onApply }: Props ) {
	const [ applied, setApplied ] = useState( false );
	return (
		<div className="smtp-port-helper__recommendation">
			<h3>{ __( 'Recommendation', 'smtp-port-helper' ) }</h3>
			<p>{ recommendation.reason }</p>
			<Button
				variant="primary"
				onClick={ () => {
					onApply( recommendation );
					setApplied( true );
				} }
				__next40pxDefaultSize
			>
				{ recommendationText( recommendation ) }
			</Button>
			{ applied && (
				<p>
					{ __(
						'Port and encryption are filled in. Save the settings to use them.',
						'smtp-port-helper'
					) }
				</p>
			) }
		</div>
	);
}
