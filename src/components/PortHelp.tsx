import { Spinner } from '@wordpress/components';
import { Suspense, lazy, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

// Folded away until asked for, so its words are not in the page's first script.
const PortHelpText = lazy(
	() => import( /* webpackChunkName: "port-help" */ './PortHelpText' )
);

/** Short, honest explanations of the SMTP ports, folded away until asked for. */
export function PortHelp() {
	const [ isOpen, setOpen ] = useState( false );
	return (
		<details
			className="smtp-port-helper__help"
			onToggle={ ( event ) => setOpen( event.currentTarget.open ) }
		>
			<summary>
				{ __( 'Which port should I use?', 'smtp-port-helper' ) }
			</summary>
			{ isOpen && (
				<Suspense fallback={ <Spinner /> }>
					<PortHelpText />
				</Suspense>
			) }
		</details>
	);
}
