import { __, sprintf } from '@wordpress/i18n';

import type { PortResult } from '../types';
import { milliseconds } from '../text/field-labels';
import { stageLabel, verdictLabel } from '../text/result-labels';

const FAMILY_LABELS = { ipv4: 'IPv4', ipv6: 'IPv6' } as const;

/**
 * A port probed over IPv4 and IPv6 at once (the host has both): each family's verdict, and
 * when they differ, what that means for sending (the PHP side's plain words).
 */
export function PortFamilies( { result }: { result: PortResult } ) {
	if ( ! result.families || result.families.length < 2 ) {
		return null;
	}
	return (
		<div className="smtp-port-helper__families">
			<ul aria-label={ __( 'By address family', 'smtp-port-helper' ) }>
				{ result.families.map( ( family ) => (
					<li
						key={ family.family }
						className={ family.ok ? 'is-ok' : 'is-failed' }
					>
						{ sprintf(
							/* translators: 1: IPv4 or IPv6, 2: verdict, 3: stage where it stopped, 4: duration. */
							__( '%1$s: %2$s (%3$s, %4$s)', 'smtp-port-helper' ),
							FAMILY_LABELS[ family.family ],
							verdictLabel( family.verdict ),
							stageLabel( family.stage ),
							milliseconds( family.elapsed_ms )
						) }
					</li>
				) ) }
			</ul>
			{ result.family_note && (
				<p className="smtp-port-helper__message">
					{ result.family_note }
				</p>
			) }
		</div>
	);
}
