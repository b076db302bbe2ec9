//! The relationship network drawn as a graph: accounts as circles (the one asked about in the
//! middle), links as lines labelled with their kind. Clicking a visible account opens it.

use kedao_api_types::accounts::Network;
use yew::prelude::*;

use crate::context::use_app;
use crate::network_layout::{SIZE, radial_layout};
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct NetworkGraphProps {
    pub network: Network,
}

#[function_component]
pub fn NetworkGraph(props: &NetworkGraphProps) -> Html {
    let app = use_app();
    let network = &props.network;
    let order: Vec<_> = network.nodes.iter().map(|n| (n.id, n.depth)).collect();
    let placed = radial_layout(&order);
    let at = |id| placed.iter().find(|p| p.id == id).map(|p| (p.x, p.y));
    let view_box = format!("0 0 {SIZE} {SIZE}");

    let edges = network.edges.iter().filter_map(|edge| {
        let (x1, y1) = at(edge.from_account_id)?;
        let (x2, y2) = at(edge.to_account_id)?;
        let kind = app.t(&format!("link_kind.{}", edge.kind.as_str()));
        Some(html! {
            <g class="edge" data-kind={edge.kind.as_str()}>
                <line x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()} />
                <text class="edge-label" x={((x1 + x2) / 2.0).to_string()} y={((y1 + y2) / 2.0).to_string()}>{ kind }</text>
            </g>
        })
    });
    let nodes = network.nodes.iter().filter_map(|node| {
        let (x, y) = at(node.id)?;
        let root = node.id == network.root;
        // A hidden account keeps its place (the shape of the network is true) but no name.
        let name = node
            .name
            .clone()
            .unwrap_or_else(|| app.t("network.hidden").to_owned());
        let onclick = {
            let navigate = app.navigate.clone();
            let (id, visible) = (node.id, node.name.is_some() && !root);
            Callback::from(move |_: MouseEvent| {
                if visible {
                    navigate.emit(Route::Account(id));
                }
            })
        };
        let class = classes!(
            "node",
            root.then_some("root"),
            node.name.is_none().then_some("hidden")
        );
        Some(html! {
            <g {class} data-account={node.id.to_string()} data-depth={node.depth.to_string()} {onclick}>
                <circle cx={x.to_string()} cy={y.to_string()} r={if root { "14" } else { "10" }} />
                <text x={x.to_string()} y={(y + 26.0).to_string()}>{ name }</text>
            </g>
        })
    });

    html! {
        <svg id="network-graph" class="chart network" viewBox={view_box} role="img"
            aria-label={app.t("account.network")} preserveAspectRatio="xMidYMid meet">
            { for edges }
            { for nodes }
        </svg>
    }
}
