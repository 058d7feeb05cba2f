// contrastscope-cli — the headless side of ContrastScope.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "Commands.h"
#include "ProcessDefaults.h"

int main(int argc, char** argv) {
    // Only the commands that compute pay for the re-exec that tunes OpenMP.
    if (argc > 1 && (std::string(argv[1]) == "train" || std::string(argv[1]) == "loss"))
        app::applyThreadingDefaults(argv);
    CLI::App app{"ContrastScope headless tools: inspect datasets, evaluate losses, train"};
    app.set_version_flag("--version", std::string(CONTRASTSCOPE_VERSION));
    app.require_subcommand(1);
    std::vector<cli::Run> commands{cli::addInspectCommand(app), cli::addDefaultDatasetCommand(app),
                                   cli::addLossCommand(app), cli::addTrainCommand(app)};
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e); // prints the message
        return cli::kBadInput;
    }
    try {
        for (auto& run : commands)
            if (int rc = run(); rc >= 0) return rc;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}
