import { Card, CardBody, Spinner } from '@wordpress/components';
import { Suspense, lazy, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import type { SettingsResponse } from '../../types';
import type { FieldContext } from '../Fields';

export interface AdvancedSettingsProps {
	ctx: FieldContext;
	/** The saved settings: whether certificates are verified (only a constant can turn it off). */
	record: Pick< SettingsResponse, 'verify_tls' >;
}

/** The fields inside: a server error naming one of them opens the card. */
const ADVANCED_FIELDS = [
	'timeout',
	'ca_file',
	'fallback',
	'fallback_ports',
	'self_heal',
];

const AdvancedFields = lazy(
	() =>
		import( /* webpackChunkName: "advanced-settings" */ './AdvancedFields' )
);

/**
 * The unnumbered, folded card after step 5: timeout, CA file and fallback ports, loaded when
 * opened.
 */
export function AdvancedSettings( props: AdvancedSettingsProps ) {
	const [ opened, setOpened ] = useState( false );
	const open =
		opened || ADVANCED_FIELDS.some( ( name ) => props.ctx.errors[ name ] );
	return (
		<Card className="smtp-port-helper__step">
			<CardBody>
				<details
					className="smtp-port-helper__advanced"
					open={ open }
					onToggle={ ( event ) =>
						setOpened( event.currentTarget.open )
					}
				>
					<summary>
						{ __( 'Advanced settings', 'smtp-port-helper' ) }
					</summary>
					{ open && (
						<Suspense fallback={ <Spinner /> }>
							<AdvancedFields { ...props } />
						</Suspense>
					) }
				</details>
			</CardBody>
		</Card>
	);
}
